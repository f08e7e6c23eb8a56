/**
 * The last bytes of a stream, bounded: what a slot's stdout and stderr keep of a simulation's output,
 * whatever it prints (with or without newlines).
 *
 * @module
 */

/** Keeps the last `capacity` bytes written, and counts every byte. */
export class RingBuffer {
  #buf: Uint8Array;
  #end = 0;
  /** Bytes written since creation. */
  total = 0;

  /** A buffer of `capacity` bytes (default 64 KiB). */
  constructor(capacity = 64 * 1024) {
    this.#buf = new Uint8Array(capacity);
  }

  /** Appends bytes; older bytes beyond the capacity are dropped. */
  write(chunk: Uint8Array): void {
    const cap = this.#buf.length;
    this.total += chunk.length;
    if (chunk.length >= cap) {
      this.#buf.set(chunk.subarray(chunk.length - cap));
      this.#end = 0;
      return;
    }
    const first = Math.min(chunk.length, cap - this.#end);
    this.#buf.set(chunk.subarray(0, first), this.#end);
    this.#buf.set(chunk.subarray(first), 0);
    this.#end = (this.#end + chunk.length) % cap;
  }

  /** The bytes written since `total` was `from` (at most the capacity: the last ones). */
  since(from = 0): Uint8Array {
    return this.range(from, this.total);
  }

  /**
   * The bytes written while `total` went from `from` to `to` that are still kept (the last ones of them,
   * at most the capacity).
   */
  range(from: number, to: number): Uint8Array {
    const cap = this.#buf.length;
    const start = Math.max(from, this.total - cap, 0);
    const out = new Uint8Array(Math.max(0, Math.min(to, this.total) - start));
    const at = (this.#end - (this.total - start) + 2 * cap) % cap;
    const first = Math.min(out.length, cap - at);
    out.set(this.#buf.subarray(at, at + first));
    out.set(this.#buf.subarray(0, out.length - first), first);
    return out;
  }
}

/** The size of the one buffer a stream is read into (see {@linkcode drain}). */
export const READ_CHUNK = 64 * 1024;

/**
 * Reads a byte stream (a child's stdout or stderr) into one buffer, again and again: a default reader would
 * allocate a new zeroed 64 KiB buffer for every read, however few bytes came (a tiny run's end markers: 53
 * bytes, two reads per run). `write` must copy what it keeps: the bytes are overwritten by the next read.
 */
export async function readInto(
  reader: ReadableStreamBYOBReader,
  write: (chunk: Uint8Array) => void,
): Promise<void> {
  let buf = new ArrayBuffer(READ_CHUNK);
  while (true) {
    const { value, done } = await reader.read(new Uint8Array(buf));
    if (done || !value) return;
    write(value);
    buf = value.buffer; // the same memory, handed back by the stream
  }
}

/**
 * Drains a byte stream into a ring buffer until it ends, or `stop` is aborted (the stream is then
 * cancelled); never holds more than one chunk besides the ring.
 */
export async function drain(
  stream: ReadableStream<Uint8Array>,
  ring: { write(chunk: Uint8Array): void },
  stop?: AbortSignal,
): Promise<void> {
  const reader = stream.getReader({ mode: "byob" });
  const cancel = () => reader.cancel().catch(() => {});
  stop?.addEventListener("abort", cancel, { once: true });
  try {
    await readInto(reader, (chunk) => ring.write(chunk));
  } catch {
    // the process died: its pipe is closed
  } finally {
    stop?.removeEventListener("abort", cancel);
    reader.releaseLock();
  }
}
