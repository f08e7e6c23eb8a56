/**
 * Text lines from a byte stream: how a pool slot and its parent read each other's messages.
 *
 * @module
 */

/**
 * Yields the lines of a UTF-8 byte stream (without their `\n`); a last line without `\n` is yielded too.
 *
 * @example
 * ```ts
 * import { lines } from "@sweepstore/sweepstore/runner";
 * const stream = new Blob(["a\nb\nc"]).stream();
 * for await (const line of lines(stream)) console.log(line); // a, b, c
 * ```
 */
export async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buffer = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
    }
  }
  if (buffer) yield buffer;
}
