/**
 * The frames of a run folder, `<key><n>.png`, and their video `<key>.mp4`.
 *
 * This file is the one owner of frame naming and numbering; `src/formats/video.ts` only encodes a list of
 * PNG files into an mp4.
 *
 * Numbering: sweepstore numbers a new key's frames 1, 2, … (as the seed describes); PymoNNto numbers them
 * 0, 1, …. A key's frames are the contiguous run of numbers that starts at 0 when `<key>0.png` exists, else
 * at 1, so folders of both kinds render whole, and `saveFrame` continues after the last of them. A key
 * that ends in a digit has no frame 0 (`frame20.png` may be frame 20 of key `frame`, and numbers have no
 * leading zeros, so `<key>0.png` of a key without a final digit is no other key's frame): PymoNNto's
 * frames of such a key render from `<key>1.png`, and `<key>0.png` is left in the folder.
 *
 * File names alone are ambiguous when one key ends in a digit: `frame21.png` may be frame 21 of key `frame`
 * or frame 1 of key `frame2`. So each write also records the key's last frame number in a hidden count file
 * `.frames.<key>`. A key's run stops at its own recorded number, and a file that another key's count file
 * covers (`frame21.png` while `.frames.frame2` says 1 or more: a count file covers its key's numbers
 * 1 … last) is never counted for `frame`. A frame is never overwritten: a name another key already used is
 * an error. Frames of other tools that start elsewhere than 0 or 1 are not a key's frames
 * (`frame20.png … frame24.png` without `frame0`/`frame1` may well be PymoNNto's frames of key `frame2`).
 *
 * @module
 */

import { join } from "node:path";
import { atomicWrite, atomicWriteText } from "../formats/atomic.ts";
import { encodeVideo, type EncodeVideoOptions } from "../formats/video.ts";
import { StorageError } from "../errors.ts";
import { TEMP_NAME_EXTRA_BYTES, validateName } from "./names.ts";
import { fsError } from "./_fs_error.ts";

/**
 * Options for `StorageManager.renderVideo`: those of `encodeVideo` (`fps`, `ffmpeg`, `signal`) and
 * `deleteImages`.
 *
 * @example Render at 5 frames per second and delete the frames
 * ```ts
 * import { type RenderVideoOptions, StorageManager } from "@sweepstore/sweepstore";
 * const sm = await StorageManager.create("Exp", { dataFolder: await Deno.makeTempDir() });
 * await sm.saveFrame({ data: new Uint8Array(8 * 8), shape: [8, 8] });
 * const options: RenderVideoOptions = { fps: 5, deleteImages: true };
 * console.log(await sm.renderVideo("frame", options)); // …/frame.mp4
 * ```
 */
export interface RenderVideoOptions extends EncodeVideoOptions {
  /**
   * Delete the key's frames (and its count file) after the video was written; never when rendering fails.
   * @default {false}
   */
  deleteImages?: boolean;
}

/** The file name of frame `n` of `key`: `<key><n>.png`. */
function frameFileName(key: string, n: number): string {
  return `${key}${n}.png`;
}

/** The hidden count file of a key: its last frame number, one line. */
const COUNT_PREFIX = ".frames.";
/** Frame numbers have at most this many digits (reserved in the key's byte limit). */
const MAX_FRAME_DIGITS = 10;
const FRAME_DIGITS = /^(0|[1-9][0-9]{0,9})$/;

/** Checks a frame key: its frame files `<key><n>.png`, written crash-safely, must fit in 255 bytes. */
export function validateFrameKey(key: string): string {
  return validateName(key, "frame key", {
    reserveBytes: MAX_FRAME_DIGITS + ".png".length + TEMP_NAME_EXTRA_BYTES,
    reserveFor: 'the frame number, ".png" and the temporary name of a crash-safe write',
  });
}

function countFile(dir: string, key: string): string {
  return join(dir, `${COUNT_PREFIX}${key}`);
}

async function recordedLast(dir: string, key: string): Promise<number | undefined> {
  try {
    const n = Number((await Deno.readTextFile(countFile(dir, key))).trim());
    return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw fsError(err, `Cannot read the frame count of "${key}"`, countFile(dir, key));
  }
}

/** Whether the digits `digits` after `key` are a frame of a longer key `key + prefix-of-digits`. */
async function claimedByOtherKey(
  dir: string,
  key: string,
  digits: string,
  countKeys: Set<string>,
  lastOf: Map<string, number | undefined>,
): Promise<boolean> {
  for (let j = 1; j < digits.length; j++) {
    const other = key + digits.slice(0, j);
    const rest = digits.slice(j);
    if (!countKeys.has(other) || rest.startsWith("0")) continue;
    if (!lastOf.has(other)) lastOf.set(other, await recordedLast(dir, other));
    const last = lastOf.get(other);
    if (last !== undefined && Number(rest) <= last) return true;
  }
  return false;
}

/**
 * The frame numbers of `key` in `dir`, in order: the contiguous run from 0 (PymoNNto) or 1 (sweepstore),
 * up to the key's recorded last frame, without files that belong to another key.
 */
export async function listFrames(dir: string, key: string): Promise<number[]> {
  const candidates = new Map<number, string>();
  const countKeys = new Set<string>();
  try {
    for await (const entry of Deno.readDir(dir)) {
      const name = entry.name;
      if (name.startsWith(COUNT_PREFIX)) countKeys.add(name.slice(COUNT_PREFIX.length));
      if (!name.startsWith(key) || !name.endsWith(".png")) continue;
      const digits = name.slice(key.length, -4);
      if (FRAME_DIGITS.test(digits)) candidates.set(Number(digits), digits);
    }
  } catch (err) {
    throw fsError(err, `Cannot list the frames of "${key}" in ${dir}`, dir);
  }
  const recorded = countKeys.has(key) ? await recordedLast(dir, key) : undefined;
  const lastOf = new Map<string, number | undefined>();
  const run: number[] = [];
  const zeroOk = !/[0-9]$/.test(key); // see the module doc
  for (let n = zeroOk && candidates.has(0) ? 0 : 1; candidates.has(n); n++) {
    if (recorded !== undefined && n > recorded) break;
    if (await claimedByOtherKey(dir, key, candidates.get(n)!, countKeys, lastOf)) break;
    run.push(n);
  }
  return run;
}

/** The number of the last frame of `key` on disk, 0 when there is none (so the next one is 1). */
export async function lastFrameNumber(dir: string, key: string): Promise<number> {
  const run = await listFrames(dir, key);
  return run.length ? run[run.length - 1] : 0;
}

/**
 * Writes PNG bytes as frame `n` of `key` (crash-safe) and records it as the key's last frame. Refuses to
 * overwrite a file that exists (a frame of another key whose name ends in a digit).
 */
export async function writeFrameFile(
  dir: string,
  key: string,
  n: number,
  png: Uint8Array,
): Promise<string> {
  const file = join(dir, frameFileName(key, n));
  try {
    await Deno.lstat(file);
    throw new StorageError(
      `${file} already exists: it is a frame of another key (frame ${n} of "${key}" has the same file name ` +
        "as a frame of a key ending in a digit). Use frame keys that do not end in a digit, or render and " +
        "delete the other key's frames first",
      { path: file, code: "exists" },
    );
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw fsError(err, `Cannot write ${file}`, file);
  }
  try {
    await atomicWrite(file, png);
    await atomicWriteText(countFile(dir, key), `${n}\n`);
  } catch (err) {
    throw fsError(err, `Cannot write frame ${n} of "${key}" to ${file}`, file);
  }
  return file;
}

/**
 * Renders the frames of `key` (see {@linkcode listFrames}) into `<dir>/<key>.mp4` with `encodeVideo` and
 * returns its path; with `deleteImages`, deletes exactly those frames and the key's count file afterwards.
 */
export async function renderFrames(
  dir: string,
  key: string,
  options: RenderVideoOptions = {},
): Promise<string> {
  const numbers = await listFrames(dir, key);
  if (numbers.length === 0) {
    const path = join(dir, frameFileName(key, 1));
    throw new StorageError(
      `No frames of key "${key}" in ${dir} (expected ${frameFileName(key, 1)} or ${
        frameFileName(key, 0)
      }, …): save some with saveFrame() first`,
      { path, code: "not_found" },
    );
  }
  const files = numbers.map((n) => join(dir, frameFileName(key, n)));
  const out = join(dir, `${key}.mp4`);
  const { fps, ffmpeg, signal } = options;
  try {
    await encodeVideo(files, out, { fps, ffmpeg, signal });
  } catch (err) {
    // ffmpeg ran and failed: say which key's frames it could not encode. Other errors name the file.
    if (!(err instanceof Error) || !err.message.startsWith("ffmpeg failed")) throw err;
    const range = `${frameFileName(key, numbers[0])} … ${frameFileName(key, numbers.at(-1)!)}`;
    throw new Error(
      `Rendering the ${numbers.length} frames of "${key}" (${range}) in ${dir} failed: ${err.message}`,
      { cause: err },
    );
  }
  if (options.deleteImages) {
    try {
      for (const file of files) await Deno.remove(file);
      await Deno.remove(countFile(dir, key)).catch(() => {});
    } catch (err) {
      throw fsError(err, `Rendered ${out}, but cannot delete the frames of "${key}"`, dir);
    }
  }
  return out;
}

/**
 * The frame numbers of one run, per key, kept by one object: the frames of a key are written one after
 * another (a promise chain), so numbers and the count file stay in order however many saves run at once.
 */
export class FrameQueue {
  #last = new Map<string, Promise<number>>();

  constructor(readonly dir: string) {}

  /** Writes `png` as the key's next frame and returns its path. */
  async save(key: string, png: Uint8Array): Promise<string> {
    const prev = this.#last.get(key) ?? lastFrameNumber(this.dir, key);
    const written = prev.then(async (last) => ({
      n: last + 1,
      file: await writeFrameFile(this.dir, key, last + 1, png),
    }));
    this.#last.set(key, written.then(({ n }) => n, () => prev));
    return (await written).file;
  }

  /** Waits until the key's queued frames are written (failures included). */
  async settled(key: string): Promise<void> {
    await this.#last.get(key)?.catch(() => {});
  }

  /** Forgets the key's count (its frames were deleted). */
  forget(key: string): void {
    this.#last.delete(key);
  }
}
