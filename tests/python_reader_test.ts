/**
 * python/sweepstore_reader/, run by the real /usr/bin/python3 (numpy and cbor2 from apt), on files that
 * saveObj, saveNp and saveParamDict wrote: every type of the objects type table comes back as the Python
 * value the reader documents, compared exactly (floats by repr, arrays by dtype and items).
 */
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { StorageManager } from "../src/run/storage_manager.ts";
import { arr, DESCRIBE, f, i, python, s } from "./_python_reader.ts";

/**
 * The two ways load_obj reads: through cbor2 (its C decoder, or its pure-Python one for keys that cannot be
 * hashed), and with cbor2 hidden, through the reader's own decoder; `sweepstore_reader.cbor2` says which ran.
 */
const MODES: [string, string, boolean][] = [
  ["with cbor2", "", true],
  ["without cbor2 (the reader's own decoder)", 'import sys; sys.modules["cbor2"] = None\n', false],
];

for (const [mode, prefix, withCbor2] of MODES) {
  Deno.test(`load_obj gives every type of the objects type table as the documented Python value, ${mode}`, async () => {
    await withTempDir(async (dir) => {
      const sm = await StorageManager.create("R", { dataFolder: dir });
      const proto = JSON.parse('{"__proto__": 1, "a": 2}');
      const values: Record<string, unknown> = {
        int: 42,
        negInt: -7,
        maxSafe: Number.MAX_SAFE_INTEGER,
        floats: [0.5, -0, NaN, Infinity, -Infinity, 1e-300, 2 ** 60, 0.1],
        bigints: [5n, -(2n ** 70n), 2n ** 64n - 1n, 0n],
        text: "héllo 𝄞",
        flags: [true, false, null, undefined],
        proto,
        nested: { a: [1, { b: "c" }] },
        mapText: new Map([["k", 1], ["j", 2]]),
        mapMixed: new Map<unknown, unknown>([[1, "one"], ["two", 2], [[1, 2], "array key"]]),
        mapTyped: new Map([[new Uint8Array([1, 2]), "a typed array key"], [
          3 as unknown as Uint8Array,
          "x",
        ]]),
        set: new Set([1, "a"]),
        date: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 123)),
        dateWhole: new Date(0),
        buffer: new Uint8Array([0, 255, 7]).buffer,
        u8: new Uint8Array([0, 255]),
        u8c: new Uint8ClampedArray([0, 255]),
        i8: new Int8Array([-128, 127]),
        u16: new Uint16Array([0, 65535]),
        i16: new Int16Array([-32768, 32767]),
        u32: new Uint32Array([0, 2 ** 32 - 1]),
        i32: new Int32Array([-(2 ** 31), 2 ** 31 - 1]),
        u64: new BigUint64Array([0n, 2n ** 64n - 1n]),
        i64: new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n]),
        f16: new Float16Array([1.5, -0, 65504, -Infinity]),
        f32: new Float32Array([0.1, -0, NaN, 3.4028234663852886e38]),
        f64: new Float64Array([0.1, -0, NaN, Number.MIN_VALUE]),
        regexp: /a+b/gi,
        error: new RangeError("too big"),
      };
      await sm.saveObj("all", values);
      // without the typed-array key, cbor2's C decoder reads it all (the fast path); with it, the reader
      // reads the file again with its tolerant decoder: both give the same values
      const { mapTyped: _, ...fast } = values;
      await sm.saveObj("fast", fast);
      const both = await python(
        prefix + DESCRIBE + `
assert (sweepstore_reader.cbor2 is not None) == ${withCbor2 ? "True" : "False"}
print(json.dumps([{k: d(x) for k, x in load_obj(f"${sm.path}/{name}.cbor").items()}
                  for name in ("fast", "all")]))`,
        dir,
      ) as Record<string, unknown>[];
      assertEquals(
        both[0],
        Object.fromEntries(Object.entries(both[1]).filter(([k]) => k !== "mapTyped")),
      );
      const got = both[1];
      // where cbor2 has no C extension, the tolerant decoder reads everything, with the same values
      const pure = await python(
        prefix + `import sys; sys.modules["_cbor2"] = None\n` + DESCRIBE + `
import sweepstore_reader
assert not sweepstore_reader._HAS_C_DECODER
print(json.dumps({k: d(x) for k, x in load_obj("${sm.path}/all.cbor").items()}))`,
        dir,
      );
      assertEquals(pure, got);
      const expected: Record<string, unknown> = {
        int: i(42),
        negInt: i(-7),
        maxSafe: i(Number.MAX_SAFE_INTEGER),
        floats: {
          list: ["0.5", "-0.0", "nan", "inf", "-inf", "1e-300", "1.152921504606847e+18", "0.1"].map(
            f,
          ),
        },
        bigints: { list: [i(5), i(-(2n ** 70n)), i(2n ** 64n - 1n), i(0)] },
        text: s("héllo 𝄞"),
        flags: { list: [{ bool: true }, { bool: false }, { None: true }, { undefined: true }] },
        proto: { dict: [[s("__proto__"), i(1)], [s("a"), i(2)]] },
        nested: { dict: [[s("a"), { list: [i(1), { dict: [[s("b"), s("c")]] }] }]] },
        mapText: { dict: [[s("k"), i(1)], [s("j"), i(2)]] },
        mapMixed: {
          dict: [[i(1), s("one")], [s("two"), i(2)], [{ tuple: [i(1), i(2)] }, s("array key")]],
        },
        mapTyped: {
          list: [
            { tuple: [arr("uint8", [i(1), i(2)]), s("a typed array key")] },
            { tuple: [i(3), s("x")] },
          ],
        },
        set: { set: [JSON.stringify(i(1)), JSON.stringify(s("a"))].sort() },
        date: { datetime: "2026-01-02T03:04:05.123000+00:00" },
        dateWhole: { datetime: "1970-01-01T00:00:00+00:00" },
        buffer: { bytes: [0, 255, 7] },
        u8: arr("uint8", [i(0), i(255)]),
        u8c: arr("uint8", [i(0), i(255)]),
        i8: arr("int8", [i(-128), i(127)]),
        u16: arr("uint16", [i(0), i(65535)]),
        i16: arr("int16", [i(-32768), i(32767)]),
        u32: arr("uint32", [i(0), i(2 ** 32 - 1)]),
        i32: arr("int32", [i(-(2 ** 31)), i(2 ** 31 - 1)]),
        u64: arr("uint64", [i(0), i(2n ** 64n - 1n)]),
        i64: arr("int64", [i(-(2n ** 63n)), i(2n ** 63n - 1n)]),
        f16: arr("float16", ["1.5", "-0.0", "65504.0", "-inf"].map(f)),
        f32: arr(
          "float32",
          ["0.10000000149011612", "-0.0", "nan", "3.4028234663852886e+38"].map(f),
        ),
        f64: arr("float64", ["0.1", "-0.0", "nan", "5e-324"].map(f)),
        regexp: { tag: 27, value: { list: [s("RegExp"), s("a+b"), s("gi")] } },
        error: { tag: 27, value: { list: [s("RangeError"), s("too big")] } },
      };
      for (const key of Object.keys(values)) assertEquals(got[key], expected[key], key);
      assertEquals(Object.keys(got).sort(), Object.keys(values).sort());
    });
  });

  Deno.test(`load_obj keeps shared and cyclic references, also of typed arrays and Maps, ${mode}`, async () => {
    await withTempDir(async (dir) => {
      const sm = await StorageManager.create("R", { dataFolder: dir });
      const w = new Float32Array([1, 2]);
      const list: unknown[] = [1];
      list.push(list);
      const map = new Map<string, unknown>([["n", 1]]);
      map.set("self", map);
      const obj: Record<string, unknown> = { x: 1 };
      const key = [1, 2];
      const shared = {
        w,
        again: w,
        list,
        map,
        obj,
        objAgain: obj,
        set: new Set([new Uint8Array([9])]),
      };
      // cbor2's C decoder reads "fast"; "slow" has a key that is also a value (as a dict key it must be
      // hashable, so that Map comes back as pairs), which makes the reader use its tolerant decoder
      await sm.saveObj("fast", { ...shared, set: new Set([1]) });
      await sm.saveObj("slow", { ...shared, key, byKey: new Map([[key, "v"]]) });
      const got = await python(
        prefix + DESCRIBE + `
out = {}
for name in ("fast", "slow"):
    v = load_obj(f"${sm.path}/{name}.cbor")
    out[name] = {
      "w": v["w"] is v["again"], "w_dtype": v["w"].dtype.name,
      "list": v["list"][1] is v["list"], "map": v["map"]["self"] is v["map"] and isinstance(v["map"], dict),
      "obj": v["obj"] is v["objAgain"], "set": d(v["set"]),
    }
    if name == "slow":
        out[name]["byKey"] = [[d(k), d(x)] for k, x in v["byKey"]]
        out[name]["key_is_shared"] = v["byKey"][0][0] is v["key"]
print(json.dumps(out))`,
        dir,
      );
      const same = { w: true, w_dtype: "float32", list: true, map: true, obj: true };
      assertEquals(got, {
        fast: { ...same, set: { set: ['{"int":"1"}'] } },
        slow: {
          ...same,
          set: { list: [arr("uint8", [i(9)])] },
          byKey: [[{ list: [i(1), i(2)] }, s("v")]],
          key_is_shared: true,
        },
      });
    });
  });
}

Deno.test("plain cbor2.load still reads saveObj files (the format is unchanged)", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("R", { dataFolder: dir });
    await sm.saveObj("plain", { w: new Float64Array([0.5]), m: new Map([[1, "a"]]), z: -0 });
    const got = await python(
      DESCRIBE + `
import cbor2
with open("${sm.path}/plain.cbor", "rb") as fh:
    v = cbor2.load(fh)
print(json.dumps({k: d(x) for k, x in v.items()}))`,
      dir,
    );
    assertEquals(got, {
      w: { tag: 86, value: { bytes: [0, 0, 0, 0, 0, 0, 0xe0, 0x3f] } },
      m: { tag: 259, value: { dict: [[i(1), s("a")]] } },
      z: f("-0.0"),
    });
  });
});

Deno.test("load_np and load_params read a run folder as numpy and PymoNNto's load_param do", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("R", { dataFolder: dir });
    await sm.saveNp("weights", { data: new Int16Array([1, -2, 3, 4, 5, 6]), shape: [2, 3] });
    await sm.saveParamDict({
      n: 1000,
      lr: 0.5,
      tiny: 1e-7,
      neg: -0,
      name: "alpha",
      on: true,
      big: 2n ** 70n,
      none: null,
      nan: NaN,
      list: [1, 2.5],
    });
    // a [DEFAULT] section and an interpolation, as a Python user may add them
    const ini = `${sm.path}/config.ini`;
    const text = await Deno.readTextFile(ini);
    await Deno.writeTextFile(ini, `[DEFAULT]\nseed = 42\nbase = /data\n\n${text}`);
    await sm.saveParam("path", "x");
    const patched = (await Deno.readTextFile(ini)).replace("path = x", "path = %(base)s/run1");
    await Deno.writeTextFile(ini, patched);
    const got = await python(
      DESCRIBE + `
a = load_np("${sm.path}/weights.npy")
p = load_params("${sm.path}")
print(json.dumps({"np": [a.dtype.name, list(a.shape), a.tolist()], "params": {k: d(x) for k, x in p.items()},
                  "missing": load_params("${sm.path}", "Nope")}))`,
      dir,
    ) as { np: unknown; params: Record<string, unknown>; missing: unknown };
    assertEquals(got.np, ["int16", [2, 3], [[1, -2, 3], [4, 5, 6]]]);
    assertEquals(got.missing, {});
    const p = got.params;
    assertEquals(p.n, i(1000));
    assertEquals(p.lr, f("0.5"));
    assertEquals(p.tiny, f("1e-07"));
    assertEquals(p.neg, f("-0.0"));
    assertEquals(p.name, s("alpha"));
    assertEquals(p.on, { bool: true });
    assertEquals(p.big, i(2n ** 70n));
    assertEquals(p.none, s("None"), "PymoNNto's rule: None stays a string");
    assertEquals(p.nan, s("nan"), "PymoNNto's rule: nan has no '.', int() refuses it");
    assertEquals(p.list, s("[1, 2.5]"));
    assertEquals(p.seed, i(42), "[DEFAULT] keys show in every section");
    assertEquals(p.path, s("/data/run1"), "BasicInterpolation");
    assert(!("Nope" in p));
  });
});
