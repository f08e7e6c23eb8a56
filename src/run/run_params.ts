/**
 * RunParams: the parameters of one run folder, kept in its `config.ini` (configparser's format, typed as
 * PymoNNto's `load_param` reads them). The base of {@linkcode StorageManager}, which adds the run's files
 * (arrays, objects, frames, the backup) and how runs are created and opened.
 *
 * @module
 */

import { basename } from "node:path";
import type { ParamValue } from "../formats/params.ts";
import { runFolderParts } from "../layout.ts";
import {
  type ConfigStore,
  DEFAULT_SECTION,
  type LoadParamOptions,
  type ParamSections,
  type SectionOptions,
} from "./config_store.ts";

/**
 * The parameters of one run folder (its `config.ini`). Made through {@linkcode StorageManager}; every
 * write is crash-safe and re-reads `config.ini` under the run folder's lock first unless this object
 * wrote or read it last.
 *
 * @example
 * ```ts
 * import { StorageManager } from "@sweepstore/sweepstore";
 * const sm = await StorageManager.create("Exp", { dataFolder: await Deno.makeTempDir() });
 * await sm.saveParamDict({ n: 100, score: 0.5 });
 * console.log(sm.param("n"), sm.paramKeys()); // 100 [ "time", "n", "score" ]
 * ```
 */
export class RunParams {
  /** Absolute path of the run folder. */
  readonly path: string;
  /** The run folder's name, e.g. `MyName4821`. */
  readonly name: string;
  #config: ConfigStore;

  /** Wraps the run folder at `path` (absolute) with its `config.ini` store. */
  protected constructor(path: string, config: ConfigStore) {
    this.path = path;
    this.name = path.slice(path.lastIndexOf("/") + 1) || basename(path);
    this.#config = config;
  }

  /**
   * The `Data` folder of this run, when the run lies in `<Data>/StorageManager/<Name>/<run>`; else undefined.
   */
  get dataFolder(): string | undefined {
    return runFolderParts(this.path)?.dataFolder;
  }

  /**
   * Saves every entry of `dict` as a parameter of one section (default `[Parameters]`), in one write.
   *
   * Keys are case-insensitive, as in configparser, which lowercases every key: saving `Score` when `score`
   * exists replaces it, and two keys of one call that are equal when lowercased (`{ Score: 1, score: 2 }`)
   * are refused, as are keys with an upper-case letter outside ASCII (write them in lower case).
   *
   * @throws {TypeError} a bad key or section, colliding keys, or a value that cannot be stored; nothing
   * is written then.
   * @throws {StorageError} when `config.ini` cannot be read or written (`corrupt`, `no_space`, …).
   *
   * @example
   * ```ts
   * import { StorageManager } from "@sweepstore/sweepstore";
   * const sm = await StorageManager.create("Exp", { dataFolder: await Deno.makeTempDir() });
   * await sm.saveParamDict({ a: 1, b: true, c: [1, 2, 3] }, { section: "Parameters" });
   * ```
   */
  async saveParamDict(dict: Record<string, unknown>, options: SectionOptions = {}): Promise<void> {
    await this.saveParamSections({ [options.section ?? DEFAULT_SECTION]: dict });
  }

  /**
   * Saves the parameters of several sections in one crash-safe write, with the key rules of
   * {@linkcode StorageManager.saveParamDict} (keys collide only within one section).
   *
   * @throws {TypeError} as `saveParamDict`.
   * @throws {StorageError} as `saveParamDict`.
   *
   * @example
   * ```ts
   * import { StorageManager } from "@sweepstore/sweepstore";
   * const sm = await StorageManager.create("Exp", { dataFolder: await Deno.makeTempDir() });
   * await sm.saveParamSections({ Parameters: { score: 0.9 }, Run: { status: "done" } });
   * ```
   */
  async saveParamSections(sections: ParamSections): Promise<void> {
    await this.#config.save(sections);
  }

  /**
   * Saves one parameter (`key` is case-insensitive, as in configparser: see
   * {@linkcode StorageManager.saveParamDict}).
   *
   * @throws {TypeError} as `saveParamDict`.
   * @throws {StorageError} as `saveParamDict`.
   *
   * @example
   * ```ts
   * import { StorageManager } from "@sweepstore/sweepstore";
   * const sm = await StorageManager.create("Exp", { dataFolder: await Deno.makeTempDir() });
   * await sm.saveParam("score", 0.93, { section: "Parameters" });
   * ```
   */
  async saveParam(key: string, value: unknown, options: SectionOptions = {}): Promise<void> {
    await this.saveParamDict({ [key]: value }, options);
  }

  /**
   * Loads one parameter, re-reading `config.ini` when it changed on disk: the value and type that were
   * saved, or `options.default` (undefined when none) when the key or section is missing.
   *
   * @throws {StorageError} code `corrupt` when `config.ini` or the value cannot be parsed.
   *
   * @example
   * ```ts
   * import { StorageManager } from "@sweepstore/sweepstore";
   * const sm = await StorageManager.create("Exp", { dataFolder: await Deno.makeTempDir() });
   * await sm.saveParam("lr", 1e-7);
   * console.log(await sm.loadParam("lr"), await sm.loadParam("missing", { default: null })); // 1e-7 null
   * ```
   */
  // deno-lint-ignore require-await -- async so that a corrupt file rejects instead of throwing
  async loadParam<T = undefined>(
    key: string,
    options: LoadParamOptions<T> = {},
  ): Promise<ParamValue | T> {
    this.#config.refresh();
    return this.#config.get(key, options);
  }

  /**
   * Loads every parameter of a section as an object (`{}` when the section is missing).
   *
   * @throws {StorageError} code `corrupt` when `config.ini` or a value cannot be parsed.
   *
   * @example
   * ```ts
   * import { StorageManager } from "@sweepstore/sweepstore";
   * const sm = await StorageManager.create("Exp", { dataFolder: await Deno.makeTempDir() });
   * await sm.saveParamDict({ a: 1, b: "x" });
   * console.log(await sm.loadParams()); // { time: …, a: 1, b: "x" }
   * ```
   */
  // deno-lint-ignore require-await -- async so that a corrupt file rejects instead of throwing
  async loadParams(options: SectionOptions = {}): Promise<Record<string, ParamValue>> {
    this.#config.refresh();
    const out: Record<string, ParamValue> = {};
    for (const key of this.paramKeys(options)) out[key] = this.param(key, options) as ParamValue;
    return out;
  }

  /**
   * A parameter from the last `config.ini` this object read or wrote, without touching the disk; use
   * {@linkcode StorageManager.loadParam} to see changes made by other processes.
   *
   * @example
   * ```ts
   * import { StorageManager } from "@sweepstore/sweepstore";
   * const sm = StorageManager.fromConfigText("/tmp/Exp/Exp1", "[Parameters]\nscore = 0.5\n");
   * console.log(sm.param("score"), sm.param("nope", { default: -1 })); // 0.5 -1
   * ```
   */
  param<T = undefined>(key: string, options: LoadParamOptions<T> = {}): ParamValue | T {
    return this.#config.get(key, options);
  }

  /**
   * The parameter names (lowercased) of a section in the last read `config.ini`.
   *
   * @example
   * ```ts
   * import { StorageManager } from "@sweepstore/sweepstore";
   * const sm = StorageManager.fromConfigText("/tmp/Exp/Exp1", "[Parameters]\nA = 1\nb = 2\n");
   * console.log(sm.paramKeys()); // ["a", "b"]
   * ```
   */
  paramKeys(options: SectionOptions = {}): string[] {
    return this.#config.keys(options.section);
  }

  /**
   * The section names of the last read `config.ini`.
   *
   * @example
   * ```ts
   * import { StorageManager } from "@sweepstore/sweepstore";
   * const sm = StorageManager.fromConfigText("/tmp/E/E1", "[Parameters]\na = 1\n[Run]\nstatus = done\n");
   * console.log(sm.sections()); // ["Parameters", "Run"]
   * ```
   */
  sections(): string[] {
    return this.#config.sections();
  }

  /** The run folder's path. */
  toString(): string {
    return this.path;
  }
}
