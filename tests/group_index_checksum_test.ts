/**
 * The index's checksum made piece by piece (the writer streams each line through one buffer) equals the
 * checksum of the whole line, however the bytes are split and wherever they lie in their buffer; one
 * changed byte changes it.
 */
import { assert, assertEquals } from "./_assert.ts";
import { Checksum, checksum } from "../src/group/_index_format.ts";

Deno.test("the streamed checksum equals the whole one for any split; one changed byte changes it", () => {
  let seed = 7;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  for (const size of [0, 1, 3, 15, 16, 17, 31, 64, 1000, 70_001]) {
    const bytes = Uint8Array.from({ length: size }, () => rand(256));
    const whole = checksum(bytes);
    for (let round = 0; round < 5; round++) {
      const backing = new Uint8Array(size + 3); // unaligned views too
      const offset = rand(4);
      backing.set(bytes, offset);
      const view = backing.subarray(offset, offset + size);
      const sum = new Checksum();
      for (let at = 0; at < size;) {
        const n = Math.min(size - at, 1 + rand(round === 0 ? 3 : 5000));
        sum.update(view.subarray(at, at + n));
        at += n;
      }
      assertEquals(sum.digest(), whole, `size ${size}, round ${round}`);
    }
    if (size > 0) {
      const changed = bytes.slice();
      changed[rand(size)] ^= 1 << rand(8);
      assert(checksum(changed) !== whole, `size ${size}: one changed byte`);
    }
  }
  // The length counts: a line and the same line with a zero byte more differ.
  assert(checksum(new Uint8Array(4)) !== checksum(new Uint8Array(5)));
});
