/**
 * Frames and video: PNG frames named `<key><n>.png` (n = 1, 2, …) and their rendering to `<key>.mp4` with
 * ffmpeg (libx264, yuv420p, even dimensions).
 *
 * The frames of a key are `<key>1.png … <key>N.png` for the longest run 1..N that exists on disk. So a key
 * ending in a digit does not mix with a shorter key: `frame21.png` is frame 1 of key `frame2`, and not a
 * frame of key `frame` unless `frame1.png … frame20.png` all exist (then the names collide, and
 * `saveFrame` refuses to overwrite the other key's file).
 *
 * @module
 */

import { join } from "node:path";
import { TEMP_PREFIX } from "./atomic.ts";

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

/**
 * The number of frames of `key` in `dir`: the largest N such that `<key>1.png … <key>N.png` all exist
 * (0 when there is none).
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
  const numbers = new Set<number>();
  const prefix = key;
  for await (const entry of Deno.readDir(dir)) {
    const name = entry.name;
    if (!name.startsWith(prefix) || !name.endsWith(".png")) continue;
    const digits = name.slice(prefix.length, -4);
    if (/^[1-9][0-9]{0,8}$/.test(digits)) numbers.add(Number(digits));
  }
  let n = 0;
  while (numbers.has(n + 1)) n++;
  return n;
}

/**
 * The number the next frame of `key` gets: one after the frames already in `dir`.
 *
 * @example
 * ```ts
 * import { nextFrameNumber } from "@sweepstore/sweepstore";
 * console.log(await nextFrameNumber(await Deno.makeTempDir(), "frame")); // 1
 * ```
 */
export async function nextFrameNumber(dir: string, key: string): Promise<number> {
  return (await countFrames(dir, key)) + 1;
}

function tail(text: string, lines = 15): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
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
  const count = await countFrames(dir, key);
  if (count === 0) {
    throw new Deno.errors.NotFound(
      `No frames of key "${key}" in ${dir} (expected ${frameFileName(key, 1)}, ${
        frameFileName(key, 2)
      }, …): ` +
        "save some with saveFrame() first",
    );
  }
  const out = join(dir, `${key}.mp4`);
  const tmp = join(dir, `${TEMP_PREFIX}${crypto.randomUUID().slice(0, 8)}-${key}.mp4`);
  const ffmpeg = options.ffmpeg ?? "ffmpeg";
  const args = [
    "-hide_banner",
    "-nostdin",
    "-y",
    "-framerate",
    String(fps),
    "-start_number",
    "1",
    "-i",
    join(dir, `${key.replaceAll("%", "%%")}%d.png`),
    "-frames:v",
    String(count),
    "-vf",
    "scale=trunc(iw/2)*2:trunc(ih/2)*2",
    "-c:v",
    "libx264",
    "-pix_fmt",
    "yuv420p",
    "-f",
    "mp4",
    tmp,
  ];
  let result: Deno.CommandOutput;
  try {
    result = await new Deno.Command(ffmpeg, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: options.signal,
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
    await Deno.remove(tmp).catch(() => {});
    const stderr = new TextDecoder().decode(result.stderr);
    throw new Error(
      `ffmpeg failed (exit code ${result.code}) rendering ${count} frames of "${key}" in ${dir}:\n${
        tail(stderr)
      }`,
    );
  }
  await Deno.rename(tmp, out);
  if (options.deleteImages) {
    for (let n = 1; n <= count; n++) await Deno.remove(join(dir, frameFileName(key, n)));
  }
  return out;
}
