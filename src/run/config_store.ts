/**
 * The parameters of one run folder: its `config.ini`, read when it changed on disk and rewritten
 * crash-safely under a file lock, so that several objects and processes on one folder never erase each
 * other's parameters. Keys follow configparser's rules (see `param_keys.ts`).
 *
 * @module
 */

import { atomicWriteText } from "../formats/atomic.ts";
import { StorageError } from "../errors.ts";
import { type IniData, parseIni, stringifyIni, validateSection } from "../formats/ini.ts";
import { formatParam, type ParamValue, parseParam } from "../formats/params.ts";
import { configFile } from "../layout.ts";
import { checkParamKeys } from "./param_keys.ts";
import { fsError } from "./_fs_error.ts";

/** The section that parameters go to when none is given, as in PymoNNto. */
export const DEFAULT_SECTION = "Parameters";

/** Parameters of several sections: `{ Parameters: { n: 100 }, Run: { status: "done" } }`. */
export type ParamSections = Record<string, Record<string, unknown>>;

/** Options naming the section of a parameter. */
export interface SectionOptions {
  /**
   * The `config.ini` section.
   * @default {"Parameters"}
   */
  section?: string;
}

/** Options for `StorageManager.loadParam`. */
export interface LoadParamOptions<T> extends SectionOptions {
  /** Returned when the parameter (or its section) is missing. */
  default?: T;
}

/** Serialises the `config.ini` updates of one process, per file (flock serialises processes). */
const configQueues = new Map<string, Promise<unknown>>();

function serialize<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = configQueues.get(key) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  const settled = next.then(() => {}, () => {});
  configQueues.set(key, settled);
  settled.then(() => {
    if (configQueues.get(key) === settled) configQueues.delete(key);
  });
  return next;
}

function stampOf(info: Deno.FileInfo): string {
  return `${info.ino}:${info.size}:${info.mtime?.getTime()}:${info.ctime?.getTime()}:${info.dev}`;
}

function parseIniAt(text: string, path: string): IniData {
  try {
    return parseIni(text, path);
  } catch (err) {
    // The parser's message starts with the path ("<path>, line 3: …"): name it once.
    const why = (err as Error).message.replace(`${path}, `, "");
    throw new StorageError(
      `${path} is corrupt (${why}). Fix or delete the file to use this run`,
      { path, cause: err, code: "corrupt" },
    );
  }
}

/**
 * Validates and formats `sections` into ini data (keys folded as configparser does), before any lock is
 * taken: a bad section, key or value throws a `TypeError` naming it and nothing is written.
 */
export function stageSections(sections: ParamSections, into: IniData = new Map()): IniData {
  if (sections === null || typeof sections !== "object" || Array.isArray(sections)) {
    throw new TypeError("Parameters must be given as an object of sections: { Parameters: { … } }");
  }
  for (const [section, dict] of Object.entries(sections)) {
    validateSection(section);
    if (dict === null || typeof dict !== "object" || Array.isArray(dict)) {
      throw new TypeError(
        `Parameters of section [${section}] must be a plain object of key → value, not ${
          Array.isArray(dict) ? "an array" : String(dict)
        }`,
      );
    }
    const target = into.get(section) ?? new Map<string, string>();
    for (const [folded, key] of checkParamKeys(Object.keys(dict), `[${section}]`)) {
      try {
        target.set(folded, formatParam(dict[key]));
      } catch (err) {
        throw new TypeError(`Parameter "${key}" in [${section}]: ${(err as Error).message}`, {
          cause: err,
        });
      }
    }
    into.set(section, target);
  }
  return into;
}

/** The `config.ini` of one run folder, as last read or written by this object. */
export class ConfigStore {
  /** The run folder (its lock is taken on the folder itself). */
  readonly folder: string;
  #file?: string; // computed on first use: a group holds thousands of stores that may never need it
  #ini: IniData = new Map();
  #stamp = "";

  constructor(folder: string) {
    this.folder = folder;
  }

  /** The `config.ini` file. */
  get file(): string {
    return this.#file ??= configFile(this.folder);
  }

  /** A store for `folder` whose `config.ini` text was already read (`null`: missing). */
  static fromText(folder: string, text: string | null): ConfigStore {
    const store = new ConfigStore(folder);
    if (text !== null) store.#ini = parseIniAt(text, store.file);
    return store;
  }

  /** A store for `folder` holding `ini`, values as `parseIni` gives them (the group makes runs this way). */
  static fromIni(folder: string, ini: IniData): ConfigStore {
    const store = new ConfigStore(folder);
    store.#ini = ini;
    return store;
  }

  /**
   * The first `config.ini` of a new run: `time` (epoch seconds, first, as PymoNNto writes it), then
   * `params`, validated (call it before making the folder, so bad params leave nothing behind).
   */
  static initial(params?: ParamSections): IniData {
    const ini: IniData = new Map([[
      DEFAULT_SECTION,
      new Map([["time", formatParam(Date.now() / 1000)]]),
    ]]);
    return params ? stageSections(params, ini) : ini;
  }

  /** Writes `ini` as the whole `config.ini` (crash-safe), e.g. the {@linkcode ConfigStore.initial} one. */
  async write(ini: IniData): Promise<void> {
    try {
      this.#stamp = stampOf(await atomicWriteText(this.file, stringifyIni(ini)));
    } catch (err) {
      throw fsError(err, `Cannot write ${this.file}`, this.file);
    }
    this.#ini = ini;
  }

  /**
   * Re-reads `config.ini` when it changed on disk since we last saw it (new inode, size, mtime or ctime); a
   * missing file is an empty one. Synchronous calls: for small files a thread-pool hand-off costs more than
   * the call, and a sweep's run does a few of them.
   */
  refresh(): IniData {
    let info: Deno.FileInfo;
    let text: string;
    try {
      info = Deno.statSync(this.file);
      if (stampOf(info) === this.#stamp) return this.#ini;
      text = Deno.readTextFileSync(this.file);
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) {
        throw fsError(err, `Cannot read ${this.file}`, this.file);
      }
      this.#ini = new Map();
      this.#stamp = "";
      return this.#ini;
    }
    this.#ini = parseIniAt(text, this.file);
    this.#stamp = stampOf(info);
    return this.#ini;
  }

  /**
   * Applies `change` to the freshest `config.ini` under an exclusive lock (flock) on the run folder, which
   * every writer in every process takes, and writes it crash-safely.
   */
  update(change: (ini: IniData) => void): Promise<void> {
    return serialize(this.file, async () => {
      let lock: Deno.FsFile;
      try {
        lock = Deno.openSync(this.folder, { read: true });
      } catch (err) {
        throw fsError(
          err,
          `Cannot open the run folder ${this.folder} to save parameters`,
          this.folder,
        );
      }
      try {
        lock.lockSync(true);
        // Every sweepstore writer takes this lock, so none changed the file since this object last
        // wrote or read it if its stamp (device, inode, size, mtime, ctime) is unchanged: refresh() then
        // skips the read (the common case: a run saving its end). A program that does not take the lock
        // (PymoNNto, an editor) either replaces the file (a new inode: ours still existed, so the number
        // differs) or rewrites it in place (size, mtime or ctime changes — ctime also when the mtime is put
        // back, as `touch -d` or `os.utime` do — except for the same size within one clock tick and the
        // same second: no wider than the race such a writer always has with our read-modify-rename).
        const ini = this.refresh();
        change(ini);
        this.#stamp = stampOf(await atomicWriteText(this.file, stringifyIni(ini)));
      } catch (err) {
        this.#stamp = "";
        throw fsError(err, `Cannot save parameters to ${this.file}`, this.file);
      } finally {
        lock.close();
      }
    });
  }

  /** Saves the parameters of several sections in one crash-safe write (validated before the lock). */
  async save(sections: ParamSections): Promise<void> {
    const staged = stageSections(sections);
    await this.update((ini) => {
      for (const [section, values] of staged) {
        const target = ini.get(section) ?? new Map<string, string>();
        for (const [k, v] of values) target.set(k, v);
        ini.set(section, target);
      }
    });
  }

  /** A parameter of the last read file, parsed; `options.default` when missing. */
  get<T>(key: string, options: LoadParamOptions<T>): ParamValue | T {
    const section = this.#ini.get(options.section ?? DEFAULT_SECTION);
    const text = section?.get(key.toLowerCase());
    if (text === undefined) return options.default as T;
    try {
      return parseParam(text);
    } catch (err) {
      throw new StorageError(
        `Parameter "${key}" in ${this.file} cannot be read: ${(err as Error).message}`,
        { path: this.file, cause: err, code: "corrupt" },
      );
    }
  }

  /** The (lowercased) keys of a section of the last read file. */
  keys(section = DEFAULT_SECTION): string[] {
    return [...(this.#ini.get(section)?.keys() ?? [])];
  }

  /** The section names of the last read file. */
  sections(): string[] {
    return [...this.#ini.keys()];
  }
}
