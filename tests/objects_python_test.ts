/** The objects codec with Python's cbor2 (and numpy) as the judge. */
import { assert, assertEquals } from "./_assert.ts";
import { run, withTempDir } from "./_helpers.ts";
import { decodeObject, encodeObject } from "../src/formats/objects.ts";

/** Reads what `encodeObject` wrote with Python's cbor2 and writes a file back; /usr/bin/python3 has it from apt. */
const SYSTEM_PYTHON = "/usr/bin/python3";

async function requireCbor2(python: string): Promise<void> {
  const check = await run(python, ["-c", "import cbor2"]).catch((err) => ({
    code: 1,
    stdout: "",
    stderr: String(err),
  }));
  if (check.code !== 0) {
    throw new Error(
      `Python's cbor2 is missing for ${python}: install it with \`apt-get install -y python3-cbor2\` ` +
        `(${check.stderr.trim().split("\n").pop()})`,
    );
  }
}

Deno.test("Python's cbor2 reads encodeObject's bytes, and decodeObject reads what cbor2 writes", async () => {
  await requireCbor2(SYSTEM_PYTHON);
  await withTempDir(async (dir) => {
    const shared = [1, 2];
    const value: Record<string, unknown> = {
      plain: { a: 1, b: [1.5, "x", true, false, null], c: -7, d: 0.1 },
      map: new Map<unknown, unknown>([[1, "one"], ["two", 2], [[3, 4], "tuple"]]),
      set: new Set([3, 4]),
      date: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 250)),
      big: 2n ** 80n,
      neg: -(2n ** 70n),
      small: 5n,
      f64: new Float64Array([1.5, -2]),
      u8: new Uint8Array([7, 8]),
      bytes: new Uint8Array([1, 2]).buffer,
      u: undefined,
      nan: NaN,
      negz: -0,
      a: shared,
      b: shared,
    };
    value.self = value;
    await Deno.writeFile(`${dir}/meta.cbor`, encodeObject(value));
    const out = await run(SYSTEM_PYTHON, [
      "-c",
      `import cbor2, datetime, json, math, struct, sys
d = sys.argv[1]
with open(d + '/meta.cbor', 'rb') as f:
    v = cbor2.load(f)
m = v['map'].value if isinstance(v['map'], cbor2.CBORTag) else v['map']
checks = {
  'plain': v['plain'] == {'a': 1, 'b': [1.5, 'x', True, False, None], 'c': -7, 'd': 0.1},
  'types': [type(x).__name__ for x in v['plain']['b']] == ['float', 'str', 'bool', 'bool', 'NoneType'],
  'map': m == {1: 'one', 'two': 2, (3, 4): 'tuple'} and v['map'].tag == 259,
  'set': v['set'] == {3, 4},
  'date': v['date'] == datetime.datetime(2026, 1, 2, 3, 4, 5, 250000, tzinfo=datetime.timezone.utc),
  'big': v['big'] == 2**80 and v['neg'] == -2**70 and v['small'] == 5 and type(v['small']) is int,
  'f64': v['f64'].tag == 86 and struct.unpack('<2d', v['f64'].value) == (1.5, -2.0),
  'u8': v['u8'].tag == 64 and v['u8'].value == b'\\x07\\x08',
  'bytes': v['bytes'] == b'\\x01\\x02',
  'undefined': v['u'] is cbor2.undefined,
  'floats': math.isnan(v['nan']) and math.copysign(1, v['negz']) == -1,
  'shared': v['a'] is v['b'] and v['a'] == [1, 2],
  'cycle': v['self'] is v,
}
print(json.dumps(checks))
a = [1, 2]
loop = []
loop.append(loop)
py = {'a': a, 'b': a, 'loop': loop, 't': (1, (2, 3)), 's': {1, 2}, 'fs': frozenset(['x']), 'k': {1: 'one', (1, 2): 'pair'},
      'dt': datetime.datetime(2026, 1, 2, 3, 4, 5, 123000, tzinfo=datetime.timezone.utc), 'big': 2**70, 'u64': 2**64 - 1,
      'bytes': b'\\x00\\xff', 'none': None, 'f': -0.0, 'text': 'h\\u00e9llo \\U0001d11e'}
with open(d + '/py.cbor', 'wb') as f:
    cbor2.dump(py, f, value_sharing=True)
with open(d + '/py_ts.cbor', 'wb') as f:
    cbor2.dump({'dt': py['dt']}, f, datetime_as_timestamp=True)`,
      dir,
    ]);
    assertEquals(out.code, 0, out.stderr);
    const checks = JSON.parse(out.stdout) as Record<string, boolean>;
    for (const [name, ok] of Object.entries(checks)) assert(ok, `Python's view of ${name}`);
    assertEquals(Object.keys(checks).length, 13);

    const py = decodeObject(await Deno.readFile(`${dir}/py.cbor`), "py.cbor") as Record<
      string,
      unknown
    >;
    assert(py.a === py.b && Array.isArray(py.a), "cbor2's shared list");
    const loop = py.loop as unknown[];
    assert(loop[0] === loop, "cbor2's cyclic list");
    assertEquals(py.t, [1, [2, 3]]);
    assertEquals(py.s, new Set([1, 2]));
    assertEquals(py.fs, new Set(["x"]));
    const k = py.k as Map<unknown, unknown>;
    assert(k instanceof Map && k.get(1) === "one", "a dict with int keys is a Map");
    assertEquals([...k.keys()][1], [1, 2]);
    assertEquals(py.dt, new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 123)));
    assertEquals(py.big, 2n ** 70n);
    assertEquals(py.u64, 2n ** 64n - 1n);
    assertEquals(py.bytes, new Uint8Array([0, 255]).buffer);
    assertEquals(py.none, null);
    assert(Object.is(py.f, -0));
    assertEquals(py.text, "héllo 𝄞");
    assertEquals(
      decodeObject(await Deno.readFile(`${dir}/py_ts.cbor`)),
      { dt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 123)) },
    );
  });
});

/** A Python with both numpy and cbor2: the system one, or `python3` with the system cbor2 on its path. */
async function pythonWithNumpyAndCbor2(dir: string): Promise<{ cmd: string; env: string }> {
  if ((await run(SYSTEM_PYTHON, ["-c", "import numpy, cbor2"])).code === 0) {
    return { cmd: SYSTEM_PYTHON, env: "" };
  }
  await requireCbor2(SYSTEM_PYTHON);
  const where = await run(SYSTEM_PYTHON, [
    "-c",
    "import cbor2, os; print(os.path.dirname(cbor2.__file__))",
  ]);
  await Deno.mkdir(`${dir}/site`);
  await Deno.symlink(where.stdout.trim(), `${dir}/site/cbor2`);
  return { cmd: "python3", env: `${dir}/site` };
}

Deno.test("The Python recipe in the objects module documentation gives numpy arrays and dicts", async () => {
  const source = await Deno.readTextFile(new URL("../src/formats/objects.ts", import.meta.url));
  const block = /```python\n([\s\S]*?)```/.exec(source);
  assert(block, "the module documentation has a python block");
  const recipe = block[1].split("\n").map((line) => line.replace(/^ \* ?/, "")).join("\n");
  await withTempDir(async (dir) => {
    const python = await pythonWithNumpyAndCbor2(dir);
    const path = "Data/StorageManager/MyName/MyName1/meta.cbor";
    assert(recipe.includes(path), "the recipe opens a run's file");
    await Deno.mkdir(`${dir}/Data/StorageManager/MyName/MyName1`, { recursive: true });
    const w = new Float32Array([1.5, -2, 3]);
    await Deno.writeFile(
      `${dir}/${path}`,
      encodeObject({
        w,
        again: w,
        i64: new BigInt64Array([-5n]),
        u8: new Uint8Array([1, 2]),
        map: new Map([["k", 1]]),
        re: /x/,
      }),
    );
    const script = recipe + `
import json
print(json.dumps({
  'w': [str(value['w'].dtype), value['w'].tolist()], 'shared': value['again'] is value['w'],
  'i64': [str(value['i64'].dtype), value['i64'].tolist()], 'u8': [str(value['u8'].dtype), value['u8'].tolist()],
  'map': value['map'], 're': value['re'].tag,
}))`;
    const out = await new Deno.Command(python.cmd, {
      args: ["-c", script],
      cwd: dir,
      env: python.env ? { PYTHONPATH: python.env } : {},
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder();
    assertEquals(out.code, 0, text.decode(out.stderr));
    assertEquals(JSON.parse(text.decode(out.stdout)), {
      w: ["float32", [1.5, -2, 3]],
      shared: true,
      i64: ["int64", [-5]],
      u8: ["uint8", [1, 2]],
      map: { k: 1 },
      re: 27,
    });
  });
});
