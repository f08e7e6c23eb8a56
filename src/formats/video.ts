/**
 * Video: an ordered list of PNG files encoded into an mp4 with ffmpeg (H.264 via libx264, yuv420p,
 * dimensions rounded down to even numbers, as players need). This module knows nothing of frame keys or
 * numbering: the frames of a run folder (`<key><n>.png`, PymoNNto's and sweepstore's numbering) are
 * `src/run/frames.ts`'s, which calls {@linkcode encodeVideo}.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { TEMP_PREFIX } from "./atomic.ts";
import { StorageError } from "../errors.ts";

/** Options for {@linkcode encodeVideo}. */
export interface EncodeVideoOptions {
  /**
   * Frames per second of the video.
   * @default {25}
   */
  fps?: number;
  /**
   * The ffmpeg executable.
   * @default {"ffmpeg"}
   */
  ffmpeg?: string;
  /** Stops ffmpeg when aborted; `encodeVideo` then rejects with the signal's reason. */
  signal?: AbortSignal;
}

function tail(text: string, lines = 15): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** ffmpeg's arguments: PNG frames `pattern` (numbered from 1) at `fps` → an H.264 mp4 at `out`. */
function ffmpegArgs(fps: number, pattern: string, out: string): string[] {
  return [
    ...["-hide_banner", "-nostdin", "-y", "-framerate", String(fps), "-start_number", "1"],
    ...["-i", pattern, "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2"],
    ...["-c:v", "libx264", "-pix_fmt", "yuv420p", "-f", "mp4", out],
  ];
}

/** Runs ffmpeg; errors say when it is missing, or show its exit code and the end of its output. */
async function runFfmpeg(
  ffmpeg: string,
  args: string[],
  signal: AbortSignal | undefined,
  what: string,
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
    if (err instanceof Deno.errors.PermissionDenied || err instanceof Deno.errors.NotCapable) {
      throw new Error(
        `${ffmpeg} may not be run: allow it (deno run --allow-run=${ffmpeg}) or make it executable`,
        { cause: err },
      );
    }
    throw err;
  }
  signal?.throwIfAborted();
  if (!result.success) {
    const stderr = new TextDecoder().decode(result.stderr);
    throw new Error(`ffmpeg failed (exit code ${result.code}) ${what}:\n${tail(stderr)}`);
  }
}

/** Links (or, across file systems, copies) `frames` as `1.png … N.png` into `work`. */
async function linkFrames(frames: readonly string[], work: string): Promise<void> {
  for (let i = 0; i < frames.length; i++) {
    const link = join(work, `${i + 1}.png`);
    try {
      await Deno.link(frames[i], link);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) {
        throw new StorageError(
          `Cannot encode a video: frame ${i + 1} of ${frames.length}, ${frames[i]}, does not exist`,
          { path: frames[i], code: "not_found", cause: err },
        );
      }
      try {
        await Deno.copyFile(frames[i], link); // another file system, or links not allowed
      } catch (copyErr) {
        throw new StorageError(
          `Cannot read frame ${frames[i]} to encode a video: ${(copyErr as Error).message}`,
          { path: frames[i], cause: copyErr },
        );
      }
    }
  }
}

/**
 * Encodes the PNG files `frames`, in this order, into the mp4 `out` with ffmpeg (H.264 via libx264,
 * yuv420p, width and height rounded down to even numbers) and returns `out`. ffmpeg reads the frames
 * through hard links `1.png … N.png` in a private temporary folder next to `out` (so any file names work,
 * and no other file is read); the video is written to a temporary file there and renamed to `out` when
 * ffmpeg succeeded, so `out` is never half-written. Frames on another file system than `out` are copied
 * into that folder instead. The frames are never changed. All frames should have the same width and height.
 *
 * @throws {TypeError} `fps` that is not a positive finite number.
 * @throws {RangeError} an empty `frames`.
 * @throws {StorageError} code `not_found` when a frame file does not exist; other codes when the temporary
 * folder or `out` cannot be written.
 * @throws {Error} when ffmpeg is missing or may not be run (the message says how to install or allow it),
 * or fails (the message has its exit code and the end of its output).
 *
 * @example Two gray frames into a 2-frame video
 * ```ts
 * import { encodePng } from "@sweepstore/sweepstore/png";
 * import { encodeVideo } from "@sweepstore/sweepstore/video";
 * const dir = await Deno.makeTempDir();
 * const frames = [];
 * for (const gray of [0, 255]) {
 *   const file = `${dir}/img_${gray}.png`;
 *   await Deno.writeFile(file, encodePng({ data: new Uint8Array(8 * 8).fill(gray), shape: [8, 8] }));
 *   frames.push(file);
 * }
 * console.log(await encodeVideo(frames, `${dir}/movie.mp4`, { fps: 2 })); // …/movie.mp4
 * ```
 */
export async function encodeVideo(
  frames: readonly string[],
  out: string,
  options: EncodeVideoOptions = {},
): Promise<string> {
  const fps = options.fps ?? 25;
  if (typeof fps !== "number" || !(fps > 0) || !Number.isFinite(fps)) {
    throw new TypeError(`fps must be a positive number, not ${fps}`);
  }
  if (frames.length === 0) throw new RangeError(`No frames to encode into ${out}`);
  options.signal?.throwIfAborted();
  const work = join(dirname(out), `${TEMP_PREFIX}${crypto.randomUUID().slice(0, 8)}-video`);
  try {
    await Deno.mkdir(work);
  } catch (err) {
    throw new StorageError(
      `Cannot create the temporary folder ${work} for ${out}: ${(err as Error).message}`,
      { path: work, cause: err },
    );
  }
  try {
    await linkFrames(frames, work);
    const tmp = join(work, "out.mp4");
    const range = frames.length === 1
      ? basename(frames[0])
      : `${basename(frames[0])} … ${basename(frames[frames.length - 1])}`;
    await runFfmpeg(
      options.ffmpeg ?? "ffmpeg",
      ffmpegArgs(fps, join(work, "%d.png"), tmp),
      options.signal,
      `encoding ${frames.length} frames (${range}) into ${out}`,
    );
    try {
      await Deno.rename(tmp, out);
    } catch (err) {
      throw new StorageError(`Cannot write ${out}: ${(err as Error).message}`, {
        path: out,
        cause: err,
      });
    }
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
  return out;
}
