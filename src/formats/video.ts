/**
 * Frames and video: PNG frames named `<key><n>.png` and their rendering to `<key>.mp4` with ffmpeg
 * (libx264, yuv420p, even dimensions). sweepstore numbers frames from 1, PymoNNto from 0: the frames of a
 * key run from `<key>0.png` where it exists, else from `<key>1.png`, and the next frame continues after the
 * last.
 *
 * File names alone are ambiguous when one key ends in a digit: `frame21.png` may be frame 21 of key `frame`
 * or frame 1 of key `frame2`. So {@linkcode writeFrame} also keeps a small hidden count file per key
 * (`.frames.<key>`, the number of the last frame written), and the frames of a key end at N from that file;
 * without one (frames written by other tools) they are the longest run on disk. For the same reason
 * `<key>0.png` is frame 0 only of a key that does not end in a digit. `writeFrame` never overwrites a file:
 * a name that another key already used is an error.
 *
 * @module
 */

import { join } from "node:path";
import { atomicWrite, atomicWriteText, TEMP_PREFIX } from "./atomic.ts";
import { StorageError } from "../errors.ts";

/** Options for {@linkcode renderVideo}. */
export interface RenderVideoOptions {
  /**
   * Frames per second of the video.
   * @default {25}
   */
  fps?: number;
  /**
   * Delete the key's frames after the video was written (never when rendering fails).
   * @default {false}
   */
  deleteImages?: boolean;
  /**
   * The ffmpeg executable.
   * @default {"ffmpeg"}
   */
  ffmpeg?: string;
  /** Stops ffmpeg when aborted. */
  signal?: AbortSignal;
}

/**
 * The file name of frame `n` of `key`: `<key><n>.png`.
 *
 * @example
 * ```ts
 * import { frameFileName } from "@sweepstore/sweepstore";
 * console.log(frameFileName("frame", 3)); // "frame3.png"
 * ```
 */
export function frameFileName(key: string, n: number): string {
  return `${key}${n}.png`;
}

function countFile(dir: string, key: string): string {
  return join(dir, `.frames.${key}`);
}

async function recordedCount(dir: string, key: string): Promise<number | undefined> {
  try {
    const n = Number((await Deno.readTextFile(countFile(dir, key))).trim());
    return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
}

/** The frames of a key: numbers `first` … `last` (`last` is `first - 1` when there is none). */
interface FrameRange {
  first: number;
  last: number;
  count: number;
}

/**
 * The frames of `key` in `dir`: the contiguous run from frame 0 (PymoNNto's numbering) or 1, up to the
 * count file's number where there is one.
 */
async function frameRange(dir: string, key: string): Promise<FrameRange> {
  // `<key>0.png` is frame 0 of `key` unless the key ends in a digit ("frame20.png" may be frame 20 of
  // "frame"); numbers have no leading zeros, so it can be no other key's frame.
  const zeroOk = !/[0-9]$/.test(key);
  const numbers = new Set<number>();
  for await (const entry of Deno.readDir(dir)) {
    const name = entry.name;
    if (!name.startsWith(key) || !name.endsWith(".png")) continue;
    const digits = name.slice(key.length, -4);
    if (/^[1-9][0-9]{0,8}$/.test(digits) || (zeroOk && digits === "0")) numbers.add(Number(digits));
  }
  const recorded = await recordedCount(dir, key);
  const first = numbers.has(0) ? 0 : 1;
  let last = first - 1;
  while (numbers.has(last + 1) && (recorded === undefined || last < recorded)) last++;
  return { first, last, count: last - first + 1 };
}

/**
 * The number of frames of `key` in `dir`: the run `<key>0.png` (PymoNNto's first frame, for keys that do
 * not end in a digit) or `<key>1.png` … `<key>N.png`, with N from the key's count file, checked against the
 * files on disk, else the longest run on disk. 0 when there is none.
 *
 * @example
 * ```ts
 * import { countFrames } from "@sweepstore/sweepstore";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeFile(`${dir}/f1.png`, new Uint8Array());
 * await Deno.writeFile(`${dir}/f2.png`, new Uint8Array());
 * console.log(await countFrames(dir, "f")); // 2
 * ```
 */
export async function countFrames(dir: string, key: string): Promise<number> {
  return (await frameRange(dir, key)).count;
}

/**
 * Writes PNG bytes as frame `n` of `key` (`<dir>/<key><n>.png`, crash-safe) and records the key's frame
 * count. Refuses, with a `StorageError`, to overwrite a file that exists (a frame of another key whose
 * name ends in a digit). Returns the file's path.
 *
 * @example
 * ```ts
 * import { encodePng, writeFrame } from "@sweepstore/sweepstore";
 * const dir = await Deno.makeTempDir();
 * const png = encodePng({ data: new Uint8Array(4 * 4), shape: [4, 4] });
 * console.log(await writeFrame(dir, "frame", 1, png)); // …/frame1.png
 * ```
 */
export async function writeFrame(
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
      { path: file },
    );
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  await atomicWrite(file, png);
  await atomicWriteText(countFile(dir, key), `${n}\n`);
  return file;
}

/**
 * The number the next frame of `key` gets: one after the key's last frame in `dir` (after PymoNNto's
 * `frame0.png` … `frame4.png` it is 5), or 1 when there is none.
 *
 * @example
 * ```ts
 * import { nextFrameNumber } from "@sweepstore/sweepstore";
 * console.log(await nextFrameNumber(await Deno.makeTempDir(), "frame")); // 1
 * ```
 */
export async function nextFrameNumber(dir: string, key: string): Promise<number> {
  return (await frameRange(dir, key)).last + 1;
}

function tail(text: string, lines = 15): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** ffmpeg's arguments: PNG frames `pattern` (numbered from 1) at `fps` → an H.264 mp4 at `out`. */
function ffmpegArgs(fps: number, pattern: string, out: string): string[] {
  return [
    "-hide_banner",
    "-nostdin",
    "-y",
    "-framerate",
    String(fps),
    "-start_number",
    "1",
    "-i",
    pattern,
    "-vf",
    "scale=trunc(iw/2)*2:trunc(ih/2)*2",
    "-c:v",
    "libx264",
    "-pix_fmt",
    "yuv420p",
    "-f",
    "mp4",
    out,
  ];
}

/** Runs ffmpeg; errors say when it is missing, or show its exit code and the end of its output. */
async function runFfmpeg(
  ffmpeg: string,
  args: string[],
  signal: AbortSignal | undefined,
  what: () => string,
): Promise<void> {
  let result: Deno.CommandOutput;
  try {
    result = await new Deno.Command(ffmpeg, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal,
    }).output();
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new Error(
        `${ffmpeg} was not found: install ffmpeg (Debian/Ubuntu: apt-get install -y ffmpeg) or pass ` +
          `{ ffmpeg: "/path/to/ffmpeg" }`,
        { cause: err },
      );
    }
    throw err;
  }
  if (!result.success) {
    const stderr = new TextDecoder().decode(result.stderr);
    throw new Error(`ffmpeg failed (exit code ${result.code}) ${what()}:\n${tail(stderr)}`);
  }
}

/**
 * Renders the frames `<key>1.png … <key>N.png` in `dir` into `<dir>/<key>.mp4` (H.264 via libx264,
 * yuv420p, dimensions rounded down to even numbers) and returns its path. The video is written to a
 * temporary file and renamed when ffmpeg succeeded. Errors say when ffmpeg is missing, and show its exit
 * code and the end of its output when it fails.
 *
 * @example
 * ```ts ignore
 * import { renderVideo } from "@sweepstore/sweepstore";
 * console.log(await renderVideo("/path/to/run", "frame", { fps: 10, deleteImages: true }));
 * ```
 */
export async function renderVideo(
  dir: string,
  key: string,
  options: RenderVideoOptions = {},
): Promise<string> {
  const fps = options.fps ?? 25;
  if (!(fps > 0) || !Number.isFinite(fps)) {
    throw new TypeError(`fps must be a positive number, not ${fps}`);
  }
  const { first, last, count } = await frameRange(dir, key);
  if (count === 0) {
    throw new Deno.errors.NotFound(
      `No frames of key "${key}" in ${dir} (expected ${frameFileName(key, 1)}, ${
        frameFileName(key, 2)
      }, …): ` +
        "save some with saveFrame() first",
    );
  }
  const out = join(dir, `${key}.mp4`);
  const work = join(dir, `${TEMP_PREFIX}${crypto.randomUUID().slice(0, 8)}-${key}-video`);
  const tmp = join(work, "out.mp4");
  const ffmpeg = options.ffmpeg ?? "ffmpeg";
  // ffmpeg reads exactly frames 1..N through hard links 1.png … N.png in a private folder: no pattern
  // escaping, and never a frame of another key whose name continues the sequence.
  await Deno.mkdir(work);
  try {
    for (let n = first; n <= last; n++) {
      await Deno.link(join(dir, frameFileName(key, n)), join(work, `${n - first + 1}.png`));
    }
    await runFfmpeg(
      ffmpeg,
      ffmpegArgs(fps, join(work, "%d.png"), tmp),
      options.signal,
      () => `rendering ${count} frames of "${key}" in ${dir}`,
    );
    await Deno.rename(tmp, out);
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
  if (options.deleteImages) {
    for (let n = first; n <= last; n++) await Deno.remove(join(dir, frameFileName(key, n)));
    await Deno.remove(countFile(dir, key)).catch(() => {});
  }
  return out;
}
