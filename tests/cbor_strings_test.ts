/**
 * The CBOR decoder's short ASCII strings come from a small table of the last ones decoded
 * (src/formats/_cbor_input.ts): whatever the order, collisions in the table or strings that differ in one
 * character, every string decodes to exactly its text.
 */
import { assertEquals } from "./_assert.ts";
import { decodeObject } from "../src/formats/_cbor_decode.ts";
import { encodeObject } from "../src/formats/_cbor_encode.ts";

Deno.test("short strings decode exactly, repeated, colliding or one character apart", () => {
  let seed = 7;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const words: string[] = ["", "a", "score", "scorf", "score ", "status", "done", "dOne", "\u007f"];
  for (let i = 0; i < 5000; i++) {
    const n = Math.floor(random() * 13);
    words.push(
      Array.from({ length: n }, () => String.fromCharCode(32 + Math.floor(random() * 95))).join(""),
    );
  }
  words.push("é", "ab\u00e9", "x".repeat(12), "x".repeat(13)); // not ASCII; the longest short; a long one
  for (let round = 0; round < 3; round++) {
    const order = words.map((w, i) => [random(), w, i] as const).sort((a, b) => a[0] - b[0]);
    const value = order.map(([, w, i]) => ({ [w]: w, i, w }));
    assertEquals(decodeObject(encodeObject(value)), value);
  }
});
