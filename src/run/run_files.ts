/**
 * The data files of one run folder: arrays as `<key>.npy`, objects as `<key>.cbor` (or PymoNNto's
 * `<key>.obj` pickles, read only) and recorders as `<tag><variable>.npy`. Keys are validated as file names
 * with the bytes their extension and a crash-safe write add; file-system failures become `StorageError`s
 * naming the key and the file.
 *
 * @module
 */

import { join } from "node:path";
import { atomicWrite } from "../formats/atomic.ts";
import type { ArrayInput, NdArray } from "../formats/ndarray.ts";
import { readNpy, type ReadNpyOptions, writeNpy } from "../formats/npy.ts";
import { decodeObject, encodeObject } from "../formats/objects.ts";
import { decodePickle } from "../formats/pickle.ts";
import { StorageError } from "../errors.ts";
import type { Recorder } from "./recorder.ts";
import { TEMP_NAME_EXTRA_BYTES, validateName } from "./names.ts";
import { fsError } from "./_fs_error.ts";

/** Options for `StorageManager.saveRecorder`. */
export interface SaveRecorderOptions {
  /**
   * Save only these variables.
   * @default {every recorded variable}
   */
  keys?: string[];
}

/** The path of `<key><ext>` in `dir`, after checking `key` (`what` names it in errors). */
export function dataFile(dir: string, key: string, ext: string, what: string): string {
  validateName(key, what, {
    reserveBytes: ext.length + TEMP_NAME_EXTRA_BYTES,
    reserveFor: `"${ext}" and the temporary name of a crash-safe write`,
  });
  return join(dir, `${key}${ext}`);
}

function notFound(message: string, path: string): StorageError {
  return new StorageError(message, { path, code: "not_found" });
}

/** Writes `value` as `<dir>/<key>.npy`. */
export async function saveArray(dir: string, key: string, value: ArrayInput): Promise<void> {
  const file = dataFile(dir, key, ".npy", "array key");
  try {
    await writeNpy(file, value);
  } catch (err) {
    throw fsError(err, `Cannot save array "${key}" to ${file}`, file);
  }
}

/** Reads `<dir>/<key>.npy` (into `options.into`, see `readNpy`); a missing file is a `StorageError` with code `not_found`. */
export async function loadArray(
  dir: string,
  key: string,
  options: ReadNpyOptions = {},
): Promise<NdArray> {
  const file = dataFile(dir, key, ".npy", "array key");
  try {
    return await readNpy(file, options);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw notFound(`No array "${key}" in run ${dir} (no ${file})`, file);
    }
    throw fsError(err, `Cannot read array "${key}" from ${file}`, file);
  }
}

/** Whether `<dir>/<key>.npy` exists. */
export function hasArray(dir: string, key: string): Promise<boolean> {
  return isFile(dataFile(dir, key, ".npy", "array key"));
}

/** Writes `value` as `<dir>/<key>.cbor`. */
export async function saveObject(dir: string, key: string, value: unknown): Promise<void> {
  const file = dataFile(dir, key, ".cbor", "object key");
  const bytes = encodeObject(value); // a value that cannot be stored throws before any file is touched
  try {
    await atomicWrite(file, bytes);
  } catch (err) {
    throw fsError(err, `Cannot save object "${key}" to ${file}`, file);
  }
}

/** Reads `<dir>/<key>.cbor`, else PymoNNto's `<dir>/<key>.obj`; neither is code `not_found`. */
export async function loadObject(dir: string, key: string): Promise<unknown> {
  const cbor = dataFile(dir, key, ".cbor", "object key");
  try {
    return decodeObject(await Deno.readFile(cbor), cbor);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) {
      throw fsError(err, `Cannot read object "${key}" from ${cbor}`, cbor);
    }
  }
  const pickle = join(dir, `${key}.obj`);
  try {
    return decodePickle(await Deno.readFile(pickle), pickle);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw notFound(`No object "${key}" in run ${dir} (neither ${key}.cbor nor ${key}.obj)`, cbor);
    }
    throw fsError(err, `Cannot read object "${key}" from ${pickle}`, pickle);
  }
}

/** Whether the object `key` was saved (`<key>.cbor`, or PymoNNto's `<key>.obj`). */
export async function hasObject(dir: string, key: string): Promise<boolean> {
  return await isFile(dataFile(dir, key, ".cbor", "object key")) ||
    await isFile(join(dir, `${key}.obj`));
}

/** Saves each variable of `recorder` as `<dir>/<tag><variable>.npy`; returns the files. */
export async function saveRecorderFiles(
  dir: string,
  tag: string,
  recorder: Recorder,
  options: SaveRecorderOptions = {},
): Promise<string[]> {
  const keys = options.keys ?? recorder.keys;
  const files = keys.map((key) => dataFile(dir, `${tag}${key}`, ".npy", "recorder tag + variable"));
  for (let i = 0; i < keys.length; i++) {
    try {
      await writeNpy(files[i], recorder.toNdArray(keys[i]));
    } catch (err) {
      throw fsError(err, `Cannot save recorded variable "${keys[i]}" to ${files[i]}`, files[i]);
    }
  }
  return files;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw fsError(err, `Cannot look at ${path}`, path);
  }
}
