/**
 * python/sweepstore_reader.py, run by the real /usr/bin/python3 (numpy and cbor2 from apt), on files that
 * saveObj, saveNp and saveParamDict wrote: every type of the objects type table comes back as the Python
 * value the reader documents, compared exactly (floats by repr, arrays by dtype and items).
 */
import { assert, assertEquals } from "./_assert.ts";
import { pyFloat, run, withTempDir } from "./_helpers.ts";
import { StorageManager } from "../src/run/storage_manager.ts";
import { StorageManagerGroup } from "../src/group/group.ts";
import { groupFolder } from "../src/layout.ts";
import { randomValues, same, SCALARS, show } from "./_params_cases.ts";

const SYSTEM_PYTHON = "/usr/bin/python3";
const READER_DIR = new URL("../python/", import.meta.url).pathname;

/** Runs `script` with the reader importable; fails with install advice when numpy or cbor2 is missing. */
async function python(script: string, cwd: string): Promise<unknown> {
  const check = await run(SYSTEM_PYTHON, ["-c", "import numpy, cbor2"]);
  if (check.code !== 0) {
    throw new Error(
      `${SYSTEM_PYTHON} needs numpy and cbor2: apt-get install -y python3-numpy python3-cbor2 ` +
        `(${check.stderr.trim().split("\n").pop()})`,
    );
  }
  const out = await new Deno.Command(SYSTEM_PYTHON, {
    args: ["-c", script],
    cwd,
    env: { PYTHONPATH: READER_DIR, PYTHONDONTWRITEBYTECODE: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  assertEquals(out.code, 0, text.decode(out.stderr));
  return JSON.parse(text.decode(out.stdout));
}

/** A JSON description of a Python value that keeps what JSON would lose (types, -0.0, nan, dtypes). */
const DESCRIBE = `
import json, datetime, numpy as np
import sweepstore_reader
from sweepstore_reader import load_obj, load_np, load_params, CBORTag, undefined

def d(v):
    if isinstance(v, np.ndarray):
        return {"ndarray": v.dtype.name, "native": v.dtype.isnative, "writeable": bool(v.flags.writeable),
                "shape": list(v.shape), "items": [d(x) for x in v.tolist()]}
    if isinstance(v, bool): return {"bool": v}
    if isinstance(v, int): return {"int": str(v)}
    if isinstance(v, float): return {"float": repr(v)}
    if isinstance(v, str): return {"str": v}
    if v is None: return {"None": True}
    if v is undefined: return {"undefined": True}
    if isinstance(v, bytes): return {"bytes": list(v)}
    if isinstance(v, datetime.datetime): return {"datetime": v.isoformat()}
    if isinstance(v, (set, frozenset)): return {"set": sorted(json.dumps(d(x), separators=(",", ":")) for x in v)}
    if isinstance(v, dict): return {type(v).__name__: [[d(k), d(x)] for k, x in v.items()]}
    if isinstance(v, tuple): return {"tuple": [d(x) for x in v]}
    if isinstance(v, list): return {"list": [d(x) for x in v]}
    if isinstance(v, CBORTag): return {"tag": v.tag, "value": d(v.value)}
    return {"other": repr(v)}
`;

const f = (x: string) => ({ float: x });
const i = (x: number | bigint) => ({ int: String(x) });
const s = (x: string) => ({ str: x });
const arr = (dtype: string, items: unknown[]) => ({
  ndarray: dtype,
  native: true,
  writeable: true,
  shape: [items.length],
  items,
});

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

/**
 * Whether a Python value (described by DESCRIBE's `d`) is `value` with the type the TypeScript side gives
 * it: a number is an `int` exactly when sweepstore wrote it as digits (a safe integer, not -0), else a
 * `float` of the same value; a bigint an `int`; arrays `list`s; objects `dict`s with the same keys in order.
 * With `strict: false` (texts not written by sweepstore, such as PymoNNto's `0.0`), a number may be either
 * an `int` or a `float` of the same value.
 */
function typedAs(py: Record<string, unknown>, value: unknown, strict = true): boolean {
  if (typeof value === "number") {
    const asFloat = typeof py.float === "string" && Object.is(pyFloat(py.float), value);
    if (Number.isSafeInteger(value) && !Object.is(value, -0)) {
      return py.int === String(value) || (!strict && asFloat);
    }
    return asFloat;
  }
  if (typeof value === "bigint") return py.int === String(value);
  if (typeof value === "boolean") return py.bool === value;
  if (value === null) return py.None === true;
  if (typeof value === "string") return py.str === value;
  if (Array.isArray(value)) {
    const items = py.list as Record<string, unknown>[] | undefined;
    return !!items && items.length === value.length &&
      items.every((x, k) => typedAs(x, value[k], strict));
  }
  const entries = py.dict as [Record<string, unknown>, Record<string, unknown>][] | undefined;
  const keys = Object.keys(value as object);
  return !!entries && entries.length === keys.length &&
    entries.every(([k, x], n) =>
      k.str === keys[n] && typedAs(x, (value as Record<string, unknown>)[keys[n]], strict)
    );
}

Deno.test("load_group types every value of a sweepstore group as the TypeScript side reads it", async () => {
  await withTempDir(async (dir) => {
    const values = [...SCALARS, ...randomValues(13, 300)];
    const a = await StorageManager.create("G", { dataFolder: dir });
    await a.saveParamDict(Object.fromEntries(values.map((v, k) => [`v${k}`, v])));
    await StorageManager.create("G", {
      dataFolder: dir,
      params: { Parameters: { run: "a param named run", n: 2 }, Run: { status: "done", seed: 7 } },
    });
    const group = groupFolder(dir, "G");
    await Deno.mkdir(`${group}/.sweepstore`); // hidden: not a run
    await Deno.mkdir(`${group}/G99`); // no config.ini: not a run
    await Deno.mkdir(`${group}/G100`);
    await Deno.writeTextFile(`${group}/G100/config.ini`, "[Parameters]\na = 1\n[Parameters]\n");
    const smg = await StorageManagerGroup.load("G", { dataFolder: dir });
    assertEquals(smg.errors.map((e) => e.path), [`${group}/G100/config.ini`]);
    const got = await python(
      DESCRIBE + `
import warnings
from sweepstore_reader import load_group
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    runs = load_group("${group}", as_frame=False)
print(json.dumps({"runs": [{k: d(v) for k, v in r.items()} for r in runs],
                  "warnings": [str(w.message) for w in caught]}))`,
      dir,
    ) as { runs: Record<string, Record<string, unknown>>[]; warnings: string[] };
    assertEquals(got.runs.map((r) => r.run.str), smg.runs.map((sm) => sm.name));
    assertEquals(got.runs.map((r) => r.path.str), smg.runs.map((sm) => sm.path));
    assertEquals(got.warnings.length, 1);
    assert(got.warnings[0].startsWith(`skipped ${group}/G100/config.ini`), got.warnings[0]);
    const [first, second] = got.runs;
    const ts = await smg.runs[0].loadParams();
    const wrong = values.map((v, k) => [k, v] as const).filter(([k, v]) =>
      !typedAs(first[`v${k}`], v) || !typedAs(first[`v${k}`], ts[`v${k}`])
    );
    assertEquals(wrong.map(([k, v]) => [show(v), first[`v${k}`]]), []);
    assertEquals(Object.keys(first).length, values.length + 3); // run, path, time
    assertEquals(second["Parameters.run"], s("a param named run"));
    assertEquals(second.n, i(2));
    assertEquals(second["Run.status"], s("done"));
    assertEquals(second["Run.seed"], i(7));
  });
});

Deno.test("load_group reads hand-written values, [DEFAULT], interpolation and a lone % as sweepstore does", async () => {
  await withTempDir(async (dir) => {
    const run = `${groupFolder(dir, "H")}/H1`;
    await Deno.mkdir(run, { recursive: true });
    const lines: [string, unknown][] = [
      ["numpy = [1.5 2.5]", [1.5, 2.5]],
      ["matrix = [[1 2]\n\t [3 4]]", [[1, 2], [3, 4]]],
      ["tuple = (1, 'a')", [1, "a"]],
      ["one = (5)", 5],
      ["keys = {1: 'a', 2.0: 'b', 1e-05: 'c', True: 'd', None: 'e'}", {
        "1": "a",
        "2": "b",
        "0.00001": "c",
        True: "d",
        None: "e",
      }],
      ["nested = [nan, inf, -inf, 0x1f]", [NaN, Infinity, -Infinity, 31]],
      ["setlike = {1, 2}", "{1, 2}"],
      ["exp = 1e5", 100000.5 - 0.5],
      ["under = 1_000", 1000],
      ["arabic = ٣", 3],
      ["lone = 50% done", "50% done"],
      ["ref = %(base)s/x", "/data/x"],
      ["missingref = %(nope)s", "%(nope)s"],
      ["escaped = 100%%", "100%"],
      ["bad = [1, 2", "[1, 2"],
      ["str = 'a\\tb\\x41\\u00e9'", "a\tbAé"],
    ];
    await Deno.writeTextFile(
      `${run}/config.ini`,
      `[DEFAULT]\nbase = /data\n\n[Parameters]\n${lines.map(([l]) => l).join("\n")}\n`,
    );
    const sm = (await StorageManagerGroup.load("H", { dataFolder: dir })).runs[0];
    const got = await python(
      DESCRIBE + `
from sweepstore_reader import load_group
print(json.dumps({k: d(v) for k, v in load_group("${
        groupFolder(dir, "H")
      }", as_frame=False)[0].items()}))`,
      dir,
    ) as Record<string, Record<string, unknown>>;
    for (const [line, expected] of lines) {
      const key = line.split(" = ")[0];
      const value = key === "exp" ? 1e5 : expected;
      assert(same(sm.param(key), value), `TypeScript reads ${line} as ${show(sm.param(key))}`);
      if (key === "exp") assertEquals(got.exp, f("100000.0"), "float() of 1e5: a float");
      else assert(typedAs(got[key], value), `${line}: Python gives ${JSON.stringify(got[key])}`);
    }
    assertEquals(got.base, s("/data"), "[DEFAULT] keys show in every section");
  });
});

/** A PymoNNto-style writer: configparser and str() of the values, as PymoNNto's save_param does. */
const PYMONNTO_GROUP_WRITER = `
import configparser, os, sys, time
import numpy as np
group = os.path.join(sys.argv[1], 'StorageManager', 'Pm')
for i, folder in enumerate(['Pm', 'Pm_0', 'Pm_1', 'Pm_10', 'Pm_2']):
    path = os.path.join(group, folder)
    os.makedirs(path)
    c = configparser.ConfigParser()
    c['Parameters'] = {}
    values = {'time': time.time(), 'NumberOfNeurons': 100 * (i + 1), 'score': i / 4, 'tag': 'alpha',
              'arr': np.array([0.5, 1.5 * i]), 'lst': [1, 'a', None], 'd': {'x': i}, 'on': i % 2 == 0,
              'none': None, 'note': '50percent done', 'tiny': 1e-07, 'big': 2 ** 70}
    for k, v in values.items():
        c.set('Parameters', k, str(v))
    with open(os.path.join(path, 'config.ini'), 'w') as f:
        c.write(f)
`;

Deno.test("load_group reads PymoNNto's folders (Pm, Pm_0, …) with the values sweepstore reads, and pandas gets a frame", async () => {
  await withTempDir(async (dir) => {
    const write = await run(SYSTEM_PYTHON, ["-c", PYMONNTO_GROUP_WRITER, dir]);
    assertEquals(write.code, 0, write.stderr);
    const smg = await StorageManagerGroup.load("Pm", { dataFolder: dir });
    const got = await python(
      DESCRIBE + `
import pandas as pd
from sweepstore_reader import load_group
runs = load_group("${groupFolder(dir, "Pm")}", as_frame=False)
frame = load_group("${groupFolder(dir, "Pm")}")
print(json.dumps({"runs": [{k: d(v) for k, v in r.items()} for r in runs],
                  "frame": [type(frame).__name__, list(frame.shape), list(frame.columns),
                            str(frame["numberofneurons"].dtype), frame["score"].tolist()]}))`,
      dir,
    ) as { runs: Record<string, Record<string, unknown>>[]; frame: unknown[] };
    assertEquals(got.runs.map((r) => r.run.str), ["Pm", "Pm_0", "Pm_1", "Pm_2", "Pm_10"]);
    assertEquals(smg.runs.map((sm) => sm.name), ["Pm", "Pm_0", "Pm_1", "Pm_2", "Pm_10"]);
    for (const [k, sm] of smg.runs.entries()) {
      const ts = await sm.loadParams();
      for (const [key, value] of Object.entries(ts)) {
        assert(
          typedAs(got.runs[k][key], value, false),
          `${sm.name} ${key}: ${JSON.stringify(got.runs[k][key])}`,
        );
      }
      assertEquals(Object.keys(got.runs[k]).length, Object.keys(ts).length + 2);
    }
    assertEquals(got.runs[1].arr, { list: [f("0.5"), f("1.5")] }, "numpy's str() of an array");
    assertEquals(got.runs[0].none, { None: true });
    assertEquals(got.runs[0].big, i(2n ** 70n));
    const columns = [
      "run",
      "path",
      "time",
      "numberofneurons",
      "score",
      "tag",
      "arr",
      "lst",
      "d",
      "on",
    ];
    assertEquals(got.frame.slice(0, 2), ["DataFrame", [5, 14]]);
    assertEquals((got.frame[2] as string[]).slice(0, columns.length), columns);
    assertEquals(got.frame.slice(3), ["int64", [0, 0.25, 0.5, 1, 0.75]]);
  });
});

Deno.test("without cbor2 the reader still loads groups, parameters, arrays and objects", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("N", {
      dataFolder: dir,
      params: { Parameters: { n: 1 } },
    });
    await sm.saveNp("w", [1, 2]);
    await sm.saveObj("o", { a: 1, s: new Set(["x"]), m: new Map([[2, [3]]]) });
    await Deno.writeFile(`${sm.path}/bad.cbor`, new Uint8Array([0x82, 0x01])); // an array missing an item
    const got = await python(
      `
import sys, json
sys.modules["cbor2"] = None  # as if cbor2 were not installed
import sweepstore_reader
from sweepstore_reader import load_group, load_np, load_obj
assert sweepstore_reader.cbor2 is None
runs = load_group("${groupFolder(dir, "N")}", as_frame=False)
o = load_obj("${sm.path}/o.cbor")
try:
    load_obj("${sm.path}/bad.cbor")
    err = None
except ValueError as e:
    err = str(e)
print(json.dumps({"n": runs[0]["n"], "w": load_np("${sm.path}/w.npy").tolist(),
                  "o": [o["a"], sorted(o["s"]), type(o["s"]).__name__, o["m"]], "err": err}))`,
      dir,
    ) as { n: number; w: number[]; o: unknown[]; err: string };
    assertEquals([got.n, got.w, got.o], [1, [1, 2], [1, ["x"], "set", { "2": [3] }]]);
    assertEquals(got.err, "truncated CBOR data");
  });
});
