/**
 * The slot protocol: messages between the pool and a slot on the slot's own named pipes (FIFOs, never on
 * the simulation's stdout), as frames of a 4-byte big-endian length and the message in CBOR
 * (`src/formats/objects.ts`), so that every value a run folder can store crosses unchanged (NaN, ±Infinity,
 * -0, BigInt, Date, …).
 *
 * @module
 */

import { decodeObject, encodeObject } from "../../src/formats/objects.ts";
import type { RunRecord } from "../events.ts";
import type { StorageErrorCode } from "../../src/errors.ts";
import type { SweepTask } from "../sweep.ts";

/** Largest frame accepted (a run record with a huge error text fits many times). */
const MAX_FRAME = 64 * 1024 * 1024;

/** What the pool tells a slot. */
export type ToSlot =
  | { t: "task"; task: SweepTask; attempt: number }
  | { t: "abort"; index: number; reason: "timeout" | "interrupted" };

/** What a slot tells the pool. */
export type FromSlot =
  | { t: "ready"; owner: string }
  /**
   * The slot cannot run runs: its simulation did not load, or (`path`, `code`) it could not take its owner
   * lock, without which a run it left `running` could never be marked `interrupted`.
   */
  | { t: "fatal"; error: string; path?: string; code?: StorageErrorCode }
  /** `run`: the slot's number for the run, in its output markers (`_run_marks.ts`). */
  | { t: "start"; index: number; path: string; run: number }
  | { t: "skip"; index: number; why: "claimed" | "done" }
  /**
   * `marks`: which of the slot's streams got the run's end marker (bit 0 stdout, bit 1 stderr); a stream
   * without it had nothing written to it since its last marker (`_output_marks.ts`).
   */
  | { t: "end"; record: RunRecord; marks?: number }
  /**
   * Written by the pool itself into the slot's `out` pipe once the slot's process ended, behind the last
   * bytes the slot wrote: when it is read back, every message of the slot was read. `token` is the pool's
   * secret, so a slot cannot end its own messages early.
   */
  | { t: "drained"; token: string };

/** One message as a frame. */
export function encodeFrame(message: ToSlot | FromSlot): Uint8Array {
  const body = encodeObject(message);
  const frame = new Uint8Array(4 + body.length);
  new DataView(frame.buffer).setUint32(0, body.length);
  frame.set(body, 4);
  return frame;
}

/** Something frames are written to (a pipe, a connection). */
export interface FrameWriter {
  /** Writes some of `p`, returning how many bytes. */
  write(p: Uint8Array): Promise<number>;
}

/** Something frames can also be written to synchronously (a pipe opened as a file). */
export interface SyncFrameWriter extends FrameWriter {
  /** Writes some of `p` at once, returning how many bytes. */
  writeSync(p: Uint8Array): number;
}

/** Frames up to this size are written synchronously: a pipe's buffer (64 KiB) holds many of them. */
const SYNC_FRAME = 4096;

/**
 * Writes a message whole; small frames synchronously (no hand-off to a thread: tiny runs exchange
 * thousands per second), large ones asynchronously (never blocking the event loop on a full pipe).
 */
export function sendFrameFast(
  out: SyncFrameWriter,
  message: ToSlot | FromSlot,
): Promise<void> | undefined {
  const frame = encodeFrame(message);
  if (frame.length > SYNC_FRAME) return writeAll(out, frame);
  let off = 0;
  while (off < frame.length) off += out.writeSync(frame.subarray(off));
  return undefined;
}

/**
 * Writes several messages in order, in one write when they are small together (see
 * {@linkcode sendFrameFast}).
 */
export function sendFramesFast(
  out: SyncFrameWriter,
  messages: readonly (ToSlot | FromSlot)[],
): Promise<void> | undefined {
  if (messages.length === 1) return sendFrameFast(out, messages[0]);
  const frames = messages.map(encodeFrame);
  const all = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of frames) {
    all.set(f, at);
    at += f.length;
  }
  if (all.length > SYNC_FRAME) return writeAll(out, all);
  let off = 0;
  while (off < all.length) off += out.writeSync(all.subarray(off));
  return undefined;
}

async function writeAll(out: FrameWriter, frame: Uint8Array): Promise<void> {
  let off = 0;
  while (off < frame.length) off += await out.write(frame.subarray(off));
}

/** Something frames are read from (a pipe, a connection). */
export interface FrameReader {
  /** Reads into `p`, returning how many bytes, or null at the end. */
  read(p: Uint8Array): Promise<number | null>;
}

/** Writes a message, whole. */
export async function sendFrame(conn: FrameWriter, message: ToSlot | FromSlot): Promise<void> {
  const frame = encodeFrame(message);
  let off = 0;
  while (off < frame.length) off += await conn.write(frame.subarray(off));
}

/**
 * A byte stream (a child's stdout) as a {@linkcode FrameReader}, read into one reused buffer: a default
 * reader would allocate a zeroed 64 KiB buffer per read, and tiny runs send a few hundred bytes per read.
 */
export function streamReader(stream: ReadableStream<Uint8Array>): FrameReader {
  const reader = stream.getReader({ mode: "byob" });
  let buf = new ArrayBuffer(64 * 1024);
  let rest = new Uint8Array(0);
  return {
    async read(p: Uint8Array): Promise<number | null> {
      if (!rest.length) {
        const { value, done } = await reader.read(new Uint8Array(buf));
        if (done || !value) return null;
        buf = value.buffer; // the same memory, handed back by the stream
        rest = value;
      }
      const n = Math.min(p.length, rest.length);
      p.set(rest.subarray(0, n));
      rest = rest.subarray(n);
      return n;
    },
  };
}

/** The messages arriving on a pipe, until it ends (or is closed under the read). */
export async function* readFrames<T>(conn: FrameReader): AsyncGenerator<T> {
  let buf = new Uint8Array(64 * 1024);
  let len = 0;
  while (true) {
    while (len >= 4) {
      const size = new DataView(buf.buffer, buf.byteOffset).getUint32(0);
      if (size > MAX_FRAME) throw new Error(`slot protocol: a frame of ${size} bytes`);
      if (len < 4 + size) {
        if (buf.length < 4 + size) {
          const bigger = new Uint8Array(Math.max(4 + size, buf.length * 2));
          bigger.set(buf.subarray(0, len));
          buf = bigger;
        }
        break;
      }
      const message = decodeObject(buf.slice(4, 4 + size)) as T;
      buf.copyWithin(0, 4 + size, len);
      len -= 4 + size;
      yield message;
    }
    if (len === buf.length) {
      const bigger = new Uint8Array(buf.length * 2);
      bigger.set(buf);
      buf = bigger;
    }
    let n: number | null;
    try {
      n = await conn.read(buf.subarray(len));
    } catch {
      return; // closed under the read, or reset: the same as the end
    }
    if (n === null) return;
    len += n;
  }
}
