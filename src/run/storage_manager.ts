/**
 * StorageManager: one run folder `<Project>/Data/StorageManager/<Name>/<Name><nr>/` and its files:
 * parameters in `config.ini`, arrays as `.npy`, objects as `.cbor`, PNG frames and their mp4, recorders
 * and a `backup.zip` of the project. Python reads every file (configparser, numpy, cbor2).
 *
 * The class composes the parts of `src/run/`: `run_params.ts` (its base class: the parameters in
 * `config.ini`, through `config_store.ts`), `run_files.ts` (arrays, objects, recorders), `frames.ts` (frames
 * and video) and `data_folder.ts` (where runs are created).
 *
 * @module
 */

import { join, resolve } from "node:path";
import type { ArrayInput, NdArray } from "../formats/ndarray.ts";
import type { IniData } from "../formats/ini.ts";
import { StorageError } from "../errors.ts";
import { BACKUP_FILE, CONFIG_FILE, groupFolder, projectFolder } from "../layout.ts";
import {
  ConfigStore,
  DEFAULT_SECTION,
  type LoadParamOptions,
  type ParamSections,
  type SectionOptions,
} from "./config_store.ts";
import { createRunFolder, findDataFolder } from "./data_folder.ts";
import { FrameQueue, renderFrames, type RenderVideoOptions, validateFrameKey } from "./frames.ts";
import { validateName } from "./names.ts";
import type { Recorder } from "./recorder.ts";
import {
  hasArray,
  hasObject,
  loadArray,
  loadObject,
  saveArray,
  saveObject,
  saveRecorderFiles,
  type SaveRecorderOptions,
} from "./run_files.ts";
import { checkRunFolder } from "./_open.ts";
import { RunParams } from "./run_params.ts";
import type {
  CopyProjectFilesOptions,
  LoadNpOptions,
  StorageManagerOptions,
} from "./run_options.ts";

export { CONFIG_FILE, DEFAULT_SECTION };
export type { LoadParamOptions, ParamSections, SaveRecorderOptions, SectionOptions };
export type { CopyProjectFilesOptions, LoadNpOptions, StorageManagerOptions };

/**
 * One run folder and its files. Create a new run with {@linkcode StorageManager.create}, reopen one with
 * {@linkcode StorageManager.open}. Every write is crash-safe (temporary file + rename); parameter writes
 * re-read `config.ini` under a file lock first, so several objects or processes on one folder never erase
 * each other's parameters.
 *
 * @example Store parameters, an array and an object, then read them back
 * ```ts
 * import { StorageManager } from "@sweepstore/sweepstore";
 * const dataFolder = await Deno.makeTempDir();
 * const sm = await StorageManager.create("MyName", { randomNr: true, dataFolder });
 * await sm.saveParamDict({ a: 1, b: true, c: [1, 2, 3] });
 * await sm.saveNp("weights", { data: new Float32Array(12), shape: [3, 4] });
 * await sm.saveObj("meta", { tags: new Set(["x"]) });
 * console.log(sm.name, await sm.loadParam("c"), (await sm.loadNp("weights")).shape);
 * ```
 */
export class StorageManager extends RunParams {
  /** The frame numbers per key; made on the first saveFrame (groups hold thousands of objects). */
  #frames?: FrameQueue;

  private constructor(path: string, config: ConfigStore) {
    super(path, config);
  }

  /**
   * Creates a new run folder `<dataFolder>/StorageManager/<name>/<name><nr>` race-free and writes its
   * `config.ini` with `time` (epoch seconds) and `options.params` in one crash-safe write. `params` are
   * checked first: bad ones leave no folder behind.
   *
   * @throws {TypeError} a name that `validateName` refuses (the name plus 16 digits of run number must
   * fit in 255 UTF-8 bytes), or bad `params` (see {@linkcode StorageManager.saveParamDict}).
   * @throws {StorageError} when the folders or `config.ini` cannot be written (`code`: `permission`,
   * `no_space`, `exists` for a taken fixed `randomNr`, …).
   *
   * @example
   * ```ts
   * import { StorageManager } from "@sweepstore/sweepstore";
   * const dataFolder = await Deno.makeTempDir();
   * const sm = await StorageManager.create("Exp", { dataFolder, params: { Parameters: { n: 100 } } });
   * console.log(sm.name, await sm.loadParam("n")); // Exp1 100
   * ```
   */
  static async create(name: string, options: StorageManagerOptions = {}): Promise<StorageManager> {
    validateName(name, "StorageManager name");
    const initial = ConfigStore.initial(options.params); // bad params: refused before any folder is made
    const dataFolder = options.dataFolder !== undefined
      ? resolve(options.dataFolder)
      : await findDataFolder();
    const run = await createRunFolder(groupFolder(dataFolder, name), name, options);
    const config = new ConfigStore(run.path);
    const sm = new StorageManager(run.path, config);
    try {
      await config.write(initial);
    } catch (err) {
      // No run folder without its config.ini (the folder is new and ours: mkdir is exclusive).
      await Deno.remove(run.path, { recursive: true }).catch(() => {});
      throw err;
    }
    return sm;
  }

  /**
   * Opens an existing run folder (written by sweepstore or PymoNNto) and reads its `config.ini` once.
   * A run folder is a folder with a `config.ini`, or any folder in `<Data>/StorageManager/<Name>/` (there a
   * missing `config.ini` reads as an empty one).
   *
   * @throws {StorageError} code `not_found` when nothing is at `path`; `not_a_run` for a file or another
   * folder (e.g. `/`); `corrupt` when `config.ini` cannot be parsed.
   *
   * @example
   * ```ts
   * import { StorageManager } from "@sweepstore/sweepstore";
   * const dataFolder = await Deno.makeTempDir();
   * const sm = await StorageManager.create("Exp", { dataFolder });
   * await sm.saveParam("score", 0.93);
   * const again = await StorageManager.open(sm.path);
   * console.log(again.param("score")); // 0.93
   * ```
   */
  static async open(path: string): Promise<StorageManager> {
    const abs = resolve(path);
    await checkRunFolder(abs);
    const config = new ConfigStore(abs);
    const sm = new StorageManager(abs, config);
    config.refresh();
    return sm;
  }

  /**
   * Makes a StorageManager from a run folder whose `config.ini` text was already read (or is missing:
   * `null`), without touching the disk. Used by the group loader to read each file exactly once.
   *
   * @example
   * ```ts
   * import { StorageManager } from "@sweepstore/sweepstore";
   * const sm = StorageManager.fromConfigText("/tmp/Exp/Exp1", "[Parameters]\nn = 5\n");
   * console.log(sm.param("n")); // 5
   * ```
   */
  static fromConfigText(path: string, text: string | null): StorageManager {
    const abs = path.startsWith("/") && !path.endsWith("/") ? path : resolve(path);
    return new StorageManager(abs, ConfigStore.fromText(abs, text));
  }

  /**
   * Makes a StorageManager from a run folder whose `config.ini` was already read and parsed (values as
   * `parseIni` gives them: section → lowercased key → value text), without touching the disk. Used by the
   * group to make runs from its compact rows without parsing each file again.
   *
   * @example
   * ```ts
   * import { StorageManager } from "@sweepstore/sweepstore";
   * const sm = StorageManager.fromIni("/tmp/Exp/Exp1", new Map([["Parameters", new Map([["n", "5"]])]]));
   * console.log(sm.param("n")); // 5
   * ```
   */
  static fromIni(path: string, ini: IniData): StorageManager {
    const abs = path.startsWith("/") && !path.endsWith("/") ? path : resolve(path);
    return new StorageManager(abs, ConfigStore.fromIni(abs, ini));
  }

  /**
   * Saves an array as `<key>.npy` (numpy format 1.0, read by `numpy.load` bit for bit). Takes an
   * NdArray, `{ data, shape }`, a typed array (1-D) or a nested array of numbers.
   *
   * @throws {TypeError} a key that is no safe file name (`<key>.npy` and its temporary name must fit in
   * 255 UTF-8 bytes: at most 220 bytes of key), or a value that is no array.
   * @throws {StorageError} when the file cannot be written (`no_space`, `permission`, …).
   *
   * @example
   * ```ts
   * import { StorageManager } from "@sweepstore/sweepstore";
   * const sm = await StorageManager.create("Exp", { dataFolder: await Deno.makeTempDir() });
   * await sm.saveNp("weights", { data: new Float32Array(12), shape: [3, 4] });
   * await sm.saveNp("rates", [[1, 2], [3, 4]]);
   * ```
   */
  async saveNp(key: string, value: ArrayInput): Promise<void> {
    await saveArray(this.path, key, value);
  }

  /**
   * Loads `<key>.npy` (written by sweepstore or numpy: any byte order, C or Fortran order) as an NdArray in
   * row-major order. With `options.into`, the data is read into that typed array (reused memory: faster for
   * big arrays read again and again, see `readNpy`).
   *
   * @throws {StorageError} code `not_found` when there is no `<key>.npy`, `corrupt`/`unsupported` for a
   * file that cannot be read.
   * @throws {TypeError|RangeError} when `options.into` is not of the file's dtype, or too short.
   *
   * @example
   * ```ts
   * import { StorageManager } from "@sweepstore/sweepstore";
   * const sm = await StorageManager.create("Exp", { dataFolder: await Deno.makeTempDir() });
   * await sm.saveNp("v", new Float64Array([1, 2, 3]));
   * const { data, shape, dtype } = await sm.loadNp("v");
   * console.log(data, shape, dtype); // Float64Array(3) [1, 2, 3] [3] "float64"
   * const again = await sm.loadNp("v", { into: new Float64Array(3) }); // reuses that memory
   * ```
   */
  async loadNp(key: string, options: LoadNpOptions = {}): Promise<NdArray> {
    return await loadArray(this.path, key, options);
  }

  /**
   * Whether `<key>.npy` exists.
   *
   * @example
   * ```ts
   * import { StorageManager } from "@sweepstore/sweepstore";
   * const sm = await StorageManager.create("Exp", { dataFolder: await Deno.makeTempDir() });
   * console.log(await sm.hasNp("weights")); // false
   * ```
   */
  async hasNp(key: string): Promise<boolean> {
    return await hasArray(this.path, key);
  }

  /**
   * Saves any value as `<key>.cbor` (CBOR, RFC 8949: Map, Set, Date, typed arrays, BigInt, undefined and
   * cyclic references survive; Python reads it with `cbor2`).
   *
   * @throws {TypeError} a key that is no safe file name (at most 219 UTF-8 bytes), or a value that cannot
   * be stored (a function, a symbol, …); nothing is written then.
   * @throws {StorageError} when the file cannot be written (`no_space`, `permission`, …).
   *
   * @example
   * ```ts
   * import { StorageManager } from "@sweepstore/sweepstore";
   * const sm = await StorageManager.create("Exp", { dataFolder: await Deno.makeTempDir() });
   * await sm.saveObj("meta", { when: new Date(), ids: new Map([[1, "a"]]) });
   * ```
   */
  async saveObj(key: string, value: unknown): Promise<void> {
    await saveObject(this.path, key, value);
  }

  /**
   * Loads the object `key`: `<key>.cbor`, or PymoNNto's `<key>.obj` (a pickle of plain data).
   *
   * @throws {StorageError} code `not_found` when there is neither file, `corrupt`/`unsupported` for one
   * that cannot be read.
   *
   * @example
   * ```ts
   * import { StorageManager } from "@sweepstore/sweepstore";
   * const sm = await StorageManager.create("Exp", { dataFolder: await Deno.makeTempDir() });
   * await sm.saveObj("meta", { a: [1, 2] });
   * console.log(await sm.loadObj("meta")); // { a: [1, 2] }
   * ```
   */
  async loadObj(key: string): Promise<unknown> {
    return await loadObject(this.path, key);
  }

  /**
   * Whether the object `key` was saved (`<key>.cbor`, or PymoNNto's `<key>.obj`).
   *
   * @example
   * ```ts
   * import { StorageManager } from "@sweepstore/sweepstore";
   * const sm = await StorageManager.create("Exp", { dataFolder: await Deno.makeTempDir() });
   * await sm.saveObj("meta", 1);
   * console.log(await sm.hasObj("meta"), await sm.hasObj("other")); // true false
   * ```
   */
  async hasObj(key: string): Promise<boolean> {
    return await hasObject(this.path, key);
  }

  /**
   * Saves each recorded variable as `<tag><variable>.npy` with shape `[steps, ...]` (PymoNNto's naming:
   * no separator is added, so pass a tag like `"net_"`). Returns the file paths.
   *
   * @throws {TypeError} when a `<tag><variable>` is no safe file name (checked for all before writing).
   * @throws {StorageError} when a file cannot be written.
   *
   * @example
   * ```ts
   * import { Recorder, StorageManager } from "@sweepstore/sweepstore";
   * const sm = await StorageManager.create("Exp", { dataFolder: await Deno.makeTempDir() });
   * const rec = new Recorder();
   * rec.record("v", new Float64Array([0.1, 0.2]));
   * rec.record("v", new Float64Array([0.3, 0.4]));
   * await sm.saveRecorder("net_", rec); // net_v.npy, shape [2, 2]
   * ```
   */
  async saveRecorder(
    tag: string,
    recorder: Recorder,
    options: SaveRecorderOptions = {},
  ): Promise<string[]> {
    return await saveRecorderFiles(this.path, tag, recorder, options);
  }

  /**
   * Saves an image as the next frame `<key><n>.png` and returns its path: n = 1, 2, … for a new key, else
   * one after the key's last frame on disk, also after PymoNNto's `<key>0.png … <key>4.png`. Images are
   * `[h, w]` gray, `[h, w, 3]` RGB or `[h, w, 4]` RGBA; non-uint8 values are clamped to 0–255.
   *
   * @throws {TypeError} a bad image, or a key that is no safe file name (at most 210 UTF-8 bytes).
   * @throws {StorageError} code `exists` when the frame's file name is a frame of another key ending in a
   * digit (frame 21 of `frame` is `frame21.png`, frame 1 of `frame2`); other codes when writing fails.
   *
   * @example
   * ```ts
   * import { StorageManager } from "@sweepstore/sweepstore";
   * const sm = await StorageManager.create("Exp", { dataFolder: await Deno.makeTempDir() });
   * const rgb = new Uint8Array(4 * 6 * 3).fill(200);
   * console.log(await sm.saveFrame({ data: rgb, shape: [4, 6, 3] }, "frame")); // …/frame1.png
   * ```
   */
  async saveFrame(image: ArrayInput, key = "frame"): Promise<string> {
    validateFrameKey(key);
    // The PNG and zip codecs (npm packages) load on first use: a process that only stores parameters and
    // arrays (a sweep's slot, whose simulation imports nothing of sweepstore) starts without them (their
    // import costs more than a slot's other modules together). Importing mod.ts still loads them.
    const { encodePng } = await import("../formats/png.ts");
    const png = encodePng(image); // validate and encode before taking a number
    return await (this.#frames ??= new FrameQueue(this.path)).save(key, png);
  }

  /**
   * Renders the frames of `key` into `<key>.mp4` with ffmpeg (libx264, yuv420p) and returns its path;
   * `deleteImages` then deletes exactly that key's frames. The key's frames are the run `<key>0.png`
   * (PymoNNto's first) or `<key>1.png` (sweepstore's first), `<key>2.png`, … without gaps; a file that is a
   * frame of another key (`frame21.png` of `frame2`, known from its count file) never counts.
   *
   * @throws {StorageError} code `not_found` when the key has no frames; other codes for file failures.
   * @throws {Error} when ffmpeg is missing or fails (its message says which, with ffmpeg's output); the
   * frames are kept then.
   *
   * @example
   * ```ts ignore
   * import { StorageManager } from "@sweepstore/sweepstore";
   * const sm = await StorageManager.create("Exp", { dataFolder: await Deno.makeTempDir() });
   * for (let i = 0; i < 10; i++) {
   *   await sm.saveFrame({ data: new Uint8Array(16 * 16).fill(i * 20), shape: [16, 16] }, "frame");
   * }
   * console.log(await sm.renderVideo("frame", { deleteImages: true, fps: 10 }));
   * ```
   */
  async renderVideo(key = "frame", options: RenderVideoOptions = {}): Promise<string> {
    validateFrameKey(key);
    await this.#frames?.settled(key);
    const out = await renderFrames(this.path, key, options);
    if (options.deleteImages) this.#frames?.forget(key);
    return out;
  }

  /**
   * Zips the project's files into `backup.zip` in the run folder, records `git_commit` and `git_dirty` as
   * parameters where the project is a git repository, and returns the zip's path. The files are what
   * `git ls-files --cached --others --exclude-standard` lists, or without git the same `.gitignore` rules,
   * never anything in `Data`, `.git` or `node_modules` (see `createBackupZip`).
   *
   * @throws {StorageError} code `not_found` when the project folder cannot be told (pass `projectDir`);
   * other codes when a file cannot be read or the zip written.
   *
   * @example
   * ```ts ignore
   * import { StorageManager } from "@sweepstore/sweepstore";
   * const sm = await StorageManager.create("Exp");
   * console.log(await sm.copyProjectFiles()); // …/Data/StorageManager/Exp/Exp1/backup.zip
   * ```
   */
  async copyProjectFiles(options: CopyProjectFilesOptions = {}): Promise<string> {
    const data = this.dataFolder;
    const projectDir = options.projectDir ?? (data ? projectFolder(data) : undefined);
    if (!projectDir) {
      throw new StorageError(
        `Cannot tell the project folder of ${this.path} (it is not inside <Data>/StorageManager/<Name>/): ` +
          "pass { projectDir }",
        { path: this.path, code: "not_found" },
      );
    }
    const zipPath = join(this.path, BACKUP_FILE);
    const { createBackupZip, gitInfo } = await import("../formats/backup.ts"); // see saveFrame
    await createBackupZip(projectDir, zipPath, options);
    if (options.recordGit !== false) {
      const git = await gitInfo(projectDir, { git: options.git });
      if (git) await this.saveParamDict({ git_commit: git.commit, git_dirty: git.dirty });
    }
    return zipPath;
  }
}
