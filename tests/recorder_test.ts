import { assertEquals, assertThrows } from "./_assert.ts";
import { Recorder } from "../src/run/recorder.ts";

Deno.test("Recorder.record() copies each step, so a reused buffer does not change earlier steps", () => {
  const rec = new Recorder();
  const buf = new Float32Array(2);
  for (let t = 0; t < 3; t++) {
    buf.fill(t);
    rec.record("v", buf);
  }
  assertEquals(rec.variables["v"].map((s) => Array.from(s.data as Float32Array)), [[0, 0], [1, 1], [
    2,
    2,
  ]]);
  const stacked = rec.toNdArray("v");
  assertEquals(stacked.shape, [3, 2]);
  assertEquals(stacked.dtype, "float32");
  assertEquals(Array.from(stacked.data as Float32Array), [0, 0, 1, 1, 2, 2]);
});

Deno.test("Recorder stacks scalars, bigints, booleans and nested arrays with their dtypes", () => {
  const rec = new Recorder();
  for (let t = 0; t < 4; t++) {
    rec.record("x", t * 0.5).record("n", BigInt(t)).record("spike", t % 2 === 0).record("m", [[
      t,
      1,
    ], [2, 3]]);
  }
  assertEquals(rec.toNdArray("x"), {
    data: Float64Array.from([0, 0.5, 1, 1.5]),
    shape: [4],
    dtype: "float64",
  });
  assertEquals(rec.toNdArray("n"), {
    data: BigInt64Array.from([0n, 1n, 2n, 3n]),
    shape: [4],
    dtype: "int64",
  });
  assertEquals(rec.toNdArray("spike"), {
    data: Uint8Array.from([1, 0, 1, 0]),
    shape: [4],
    dtype: "bool",
  });
  assertEquals(rec.toNdArray("m").shape, [4, 2, 2]);
  assertEquals(rec.keys, ["x", "n", "spike", "m"]);
  rec.clear("x");
  assertEquals(rec.keys, ["n", "spike", "m"]);
});

Deno.test("Recorder refuses a step whose shape or dtype differs, and names the variable", () => {
  const rec = new Recorder();
  rec.record("v", new Float64Array(3));
  assertThrows(() => rec.record("v", new Float64Array(4)), TypeError, '"v"');
  assertThrows(() => rec.record("v", new Float32Array(3)), TypeError, "float32");
  assertThrows(() => rec.toNdArray("nope"), RangeError, "v");
});
