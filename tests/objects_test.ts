import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { run, withTempDir } from "./_helpers.ts";
import { decodeObject, encodeObject } from "../src/objects.ts";
import { StorageError } from "../src/errors.ts";

Deno.test("encodeObject() keeps Map, Set, Date, typed arrays, BigInt, undefined vs null and shared references", () => {
  const shared = { s: 1 };
  const value: Record<string, unknown> = {
    map: new Map<unknown, unknown>([[1, "a"], [{ k: 1 }, [1, 2]], ["s", new Set([1])]]),
    set: new Set(["x", 2]),
    date: new Date(1_700_000_000_123),
    f64: new Float64Array([1.5, NaN, -Infinity]),
    f32: new Float32Array([0.25]),
    i8: new Int8Array([-1]),
    u16: new Uint16Array([65535]),
    i64: new BigInt64Array([-5n]),
    u8: new Uint8Array([1, 2, 3]),
    big: 2n ** 100n,
    neg: -(2n ** 70n),
    u: undefined,
    n: null,
    nested: { deep: [[{ a: [true, false] }]] },
    a: shared,
    b: shared,
  };
  value.self = value;
  const back = decodeObject(encodeObject(value)) as Record<string, unknown>;
  for (
    const k of [
      "map",
      "set",
      "date",
      "f64",
      "f32",
      "i8",
      "u16",
      "i64",
      "u8",
      "big",
      "neg",
      "n",
      "nested",
    ]
  ) {
    assertEquals(back[k], value[k], k);
  }
  assert("u" in back && back.u === undefined, "undefined is kept distinct from null");
  assert(back.self === back, "a cycle comes back as a cycle");
  assert(back.a === back.b, "a shared object comes back shared");
});

Deno.test("encodeObject() refuses functions and symbols and names where they are", () => {
  assertThrows(() => encodeObject({ a: { fn: () => 1 } }), TypeError, "value.a.fn");
  assertThrows(() => encodeObject([Symbol("x")]), TypeError, "symbol");
});

Deno.test("decodeObject() of corrupt bytes is a StorageError naming the file", () => {
  assertThrows(
    () => decodeObject(new Uint8Array([0xff, 0xff, 0x00]), "/r/meta.cbor"),
    StorageError,
    "/r/meta.cbor",
  );
});

Deno.test("Python's cbor2 reads saveObj's files: dicts, sets, dates, bigints, typed arrays, cycles", async () => {
  const check = await run("/usr/bin/python3", ["-c", "import cbor2"]);
  if (check.code !== 0) {
    throw new Error(
      "Python's cbor2 is missing for /usr/bin/python3: install it with apt-get install -y python3-cbor2",
    );
  }
  await withTempDir(async (dir) => {
    const value: Record<string, unknown> = {
      plain: { a: 1, b: [1.5, "x", true, null] },
      map: new Map<unknown, unknown>([[1, "one"], ["two", 2]]),
      set: new Set([3, 4]),
      date: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
      big: 2n ** 80n,
      f64: new Float64Array([1.5, -2]),
      u8: new Uint8Array([7, 8]),
    };
    value.self = value;
    await Deno.writeFile(`${dir}/meta.cbor`, encodeObject(value));
    const out = await run("/usr/bin/python3", [
      "-c",
      `import cbor2, json, sys, struct
v = cbor2.load(open(sys.argv[1], 'rb'))
m = v['map']; m = m.value if isinstance(m, cbor2.CBORTag) else m
f = v['f64']; u = v['u8']
print(json.dumps({
  'plain': v['plain'], 'map': {str(k): x for k, x in m.items()}, 'set': sorted(v['set']),
  'date': v['date'].isoformat(), 'big': str(v['big']), 'self': v['self'] is v,
  'f64': [f.tag, list(struct.unpack('<2d', f.value))], 'u8': [u.tag, list(u.value)],
}))`,
      `${dir}/meta.cbor`,
    ]);
    assertEquals(out.code, 0, out.stderr);
    assertEquals(JSON.parse(out.stdout), {
      plain: { a: 1, b: [1.5, "x", true, null] },
      map: { "1": "one", two: 2 },
      set: [3, 4],
      date: "2026-01-02T03:04:05+00:00",
      big: String(2n ** 80n),
      self: true,
      f64: [86, [1.5, -2]],
      u8: [64, [7, 8]],
    });
  });
});
