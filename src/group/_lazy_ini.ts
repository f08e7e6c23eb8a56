/**
 * A run's parsed `config.ini` made on first use (internal): the group hands `StorageManager`s to callers
 * (`query()`, `at()`, iteration) that often read nothing from them, or one value; building every run's
 * sections and keys as `Map`s up front cost more than the query itself (~5 µs per run).
 *
 * @module
 */

import type { IniData } from "../formats/ini.ts";

/**
 * An {@linkcode IniData} whose sections are filled from `fill()` the first time any of it is read or
 * changed; afterwards a plain `Map`. Values are those of the row when first used.
 */
export class LazyIni extends Map<string, Map<string, string>> {
  #fill?: () => IniData;

  /** @param fill Makes the sections (called at most once). */
  constructor(fill: () => IniData) {
    super();
    this.#fill = fill;
  }

  #ready(): void {
    const fill = this.#fill;
    if (!fill) return;
    this.#fill = undefined;
    for (const [section, values] of fill()) super.set(section, values);
  }

  override get(section: string): Map<string, string> | undefined {
    this.#ready();
    return super.get(section);
  }

  override has(section: string): boolean {
    this.#ready();
    return super.has(section);
  }

  override set(section: string, values: Map<string, string>): this {
    this.#ready();
    return super.set(section, values);
  }

  override delete(section: string): boolean {
    this.#ready();
    return super.delete(section);
  }

  override clear(): void {
    this.#fill = undefined;
    super.clear();
  }

  override get size(): number {
    this.#ready();
    return super.size;
  }

  override keys(): MapIterator<string> {
    this.#ready();
    return super.keys();
  }

  override values(): MapIterator<Map<string, string>> {
    this.#ready();
    return super.values();
  }

  override entries(): MapIterator<[string, Map<string, string>]> {
    this.#ready();
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[string, Map<string, string>]> {
    return this.entries();
  }

  override forEach(
    fn: (
      values: Map<string, string>,
      section: string,
      map: Map<string, Map<string, string>>,
    ) => void,
    thisArg?: unknown,
  ): void {
    this.#ready();
    super.forEach(fn, thisArg);
  }
}
