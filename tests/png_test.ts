import { assertEquals, assertThrows } from "./_assert.ts";
import { decodePng, encodePng } from "../src/formats/png.ts";
import { StorageError } from "../src/errors.ts";

Deno.test("encodePng() writes gray, RGB and RGBA pixel-exact, with the matching PNG colour type", () => {
  for (const [channels, colorType] of [[1, 0], [3, 2], [4, 6]]) {
    const data = Uint8Array.from({ length: 7 * 5 * channels }, (_, i) => (i * 37) % 256);
    const shape = channels === 1 ? [7, 5] : [7, 5, channels];
    const png = encodePng({ data, shape });
    assertEquals(Array.from(png.subarray(1, 4), (c) => String.fromCharCode(c)).join(""), "PNG");
    assertEquals(png[25], colorType, `colour type for ${channels} channels`);
    const back = decodePng(png);
    assertEquals(back.shape, [7, 5, channels]);
    assertEquals(back.data, data);
  }
});

Deno.test("encodePng() clamps float images to 0–255 and truncates like numpy's clip().astype(uint8)", () => {
  const data = Float64Array.from([-5, 0, 0.9, 1.5, 127.99, 254.5, 255, 300, NaN]);
  const back = decodePng(encodePng({ data, shape: [3, 3] }));
  assertEquals(Array.from(back.data), [0, 0, 0, 1, 127, 254, 255, 255, 0]);
  const bools = decodePng(
    encodePng({ data: Uint8Array.from([1, 0]), shape: [1, 2], dtype: "bool" }),
  );
  assertEquals(Array.from(bools.data), [255, 0]);
});

Deno.test("encodePng() refuses shapes that are not images, saying which are", () => {
  assertThrows(() => encodePng({ data: new Uint8Array(4), shape: [4] }), TypeError, "[h, w, 3]");
  assertThrows(() => encodePng({ data: new Uint8Array(8), shape: [2, 2, 2] }), TypeError);
  assertThrows(() => encodePng({ data: new Uint8Array(0), shape: [0, 3] }), TypeError);
  assertThrows(() => decodePng(new Uint8Array([1, 2, 3]), "/r/f1.png"), Error, "/r/f1.png");
  const err = assertThrows(() => decodePng(new Uint8Array([1, 2, 3]), "/r/f1.png"), StorageError);
  assertEquals([(err as StorageError).code, (err as StorageError).path], ["corrupt", "/r/f1.png"]);
});
