import { assert, assertEquals, assertRejects, assertThrows } from "./_assert.ts";
import { python, withTempDir } from "./_helpers.ts";
import { decodeNpy, encodeNpy, readNpy, writeNpy } from "../src/npy.ts";
import type { DType, NdArray, TypedArray } from "../src/ndarray.ts";
import { StorageError } from "../src/errors.ts";

/** One array per dtype, with edge values (NaN payloads, -0, ±Inf, extremes). */
function samples(): Record<string, NdArray> {
  const f64 = new Float64Array([
    0,
    -0,
    1.5,
    -2.25,
    NaN,
    Infinity,
    -Infinity,
    5e-324,
    1.7976931348623157e308,
    0.1,
  ]);
  // A NaN with a payload (not the canonical one): must survive bit for bit.
  new DataView(f64.buffer).setBigUint64(4 * 8, 0x7ff8_0000_dead_beefn, true);
  const arrays: Record<string, NdArray> = {
    bool: { data: Uint8Array.from([1, 0, 1, 1, 0, 0]), shape: [2, 3], dtype: "bool" },
    int8: { data: Int8Array.from([-128, -1, 0, 1, 127, 5]), shape: [3, 2], dtype: "int8" },
    uint8: { data: Uint8Array.from([0, 1, 128, 255]), shape: [4], dtype: "uint8" },
    int16: { data: Int16Array.from([-32768, -1, 0, 32767]), shape: [2, 2], dtype: "int16" },
    uint16: { data: Uint16Array.from([0, 65535, 1234, 7]), shape: [4, 1], dtype: "uint16" },
    int32: {
      data: Int32Array.from([-(2 ** 31), -1, 0, 2 ** 31 - 1, 42, 9]),
      shape: [1, 2, 3],
      dtype: "int32",
    },
    uint32: { data: Uint32Array.from([0, 2 ** 32 - 1, 3]), shape: [3], dtype: "uint32" },
    int64: {
      data: BigInt64Array.from([-(2n ** 63n), -1n, 0n, 2n ** 63n - 1n]),
      shape: [2, 2],
      dtype: "int64",
    },
    uint64: {
      data: BigUint64Array.from([0n, 2n ** 64n - 1n, 12345678901234567890n]),
      shape: [3],
      dtype: "uint64",
    },
    float16: {
      data: Float16Array.from([0, -0, 1.5, -65504, Infinity, NaN]),
      shape: [6],
      dtype: "float16",
    },
    float32: {
      data: Float32Array.from([0, -0, 1.5, 3.4028234663852886e38, 1e-45, NaN]),
      shape: [2, 3],
      dtype: "float32",
    },
    float64: { data: f64, shape: [10], dtype: "float64" },
    scalar: { data: Float64Array.from([3.25]), shape: [], dtype: "float64" },
    empty: { data: new Float32Array(0), shape: [0], dtype: "float32" },
    empty2d: { data: new Int32Array(0), shape: [3, 0], dtype: "int32" },
  };
  return arrays;
}

function bytesOf(a: TypedArray): number[] {
  return Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

Deno.test("numpy reads every dtype writeNpy() writes, bit for bit, and the files equal np.save's byte for byte", async () => {
  await withTempDir(async (dir) => {
    const arrays = samples();
    for (const [name, a] of Object.entries(arrays)) await writeNpy(`${dir}/${name}.npy`, a);
    const out = await python(
      `
import io, json, sys, numpy as np
d = sys.argv[1]
res = {}
for name in json.loads(sys.argv[2]):
    p = f'{d}/{name}.npy'
    a = np.load(p)
    b = io.BytesIO(); np.save(b, a)
    res[name] = {'dtype': str(a.dtype), 'shape': list(a.shape), 'bytes': list(a.tobytes()),
                 'identical': open(p, 'rb').read() == b.getvalue()}
print(json.dumps(res))
`,
      [dir, JSON.stringify(Object.keys(arrays))],
    );
    const res = JSON.parse(out);
    const numpyName: Record<DType, string> = {
      bool: "bool",
      int8: "int8",
      uint8: "uint8",
      int16: "int16",
      uint16: "uint16",
      int32: "int32",
      uint32: "uint32",
      int64: "int64",
      uint64: "uint64",
      float16: "float16",
      float32: "float32",
      float64: "float64",
    };
    for (const [name, a] of Object.entries(arrays)) {
      assertEquals(res[name].dtype, numpyName[a.dtype], name);
      assertEquals(res[name].shape, a.shape, name);
      assertEquals(res[name].bytes, bytesOf(a.data), `${name}: the data bits`);
      assert(res[name].identical, `${name}: the file differs from np.save's`);
    }
  });
});

Deno.test("readNpy() reads what numpy writes: every dtype, big-endian, Fortran order, 0-d, empty, format 2.0 and 3.0", async () => {
  await withTempDir(async (dir) => {
    const out = await python(
      `
import json, sys, numpy as np
d = sys.argv[1]
cases = {
  'bool': np.array([[True, False], [False, True]]),
  'i1': np.array([-128, 127], np.int8), 'u1': np.array([0, 255], np.uint8),
  'i2': np.array([-32768, 32767], np.int16), 'u2': np.array([0, 65535], np.uint16),
  'i4': np.arange(-3, 3, dtype=np.int32).reshape(2, 3), 'u4': np.array([0, 2**32 - 1], np.uint32),
  'i8': np.array([-2**63, 2**63 - 1], np.int64), 'u8': np.array([0, 2**64 - 1], np.uint64),
  'f2': np.array([1.5, -0.0, np.inf], np.float16), 'f4': np.array([[0.1, -2.5]], np.float32),
  'f8': np.linspace(0, 1, 7),
  'be_f8': np.arange(6, dtype='>f8').reshape(2, 3), 'be_i4': np.array([1, -2, 300000], '>i4'),
  'be_u2': np.array([1, 65535], '>u2'), 'be_f2': np.array([0.5, -3], '>f2'), 'be_i8': np.array([-5, 2**40], '>i8'),
  'fortran': np.asfortranarray(np.arange(24, dtype=np.int32).reshape(2, 3, 4)),
  'fortran_be': np.asfortranarray(np.arange(12, dtype='>f4').reshape(3, 4)),
  'scalar': np.array(7.5), 'empty': np.zeros((0,)), 'empty2d': np.zeros((2, 0), np.int16),
}
meta = {}
for name, a in cases.items():
    np.save(f'{d}/{name}.npy', a)
    c = np.ascontiguousarray(a)
    meta[name] = {'shape': list(a.shape), 'values': c.astype(np.float64).ravel().tolist() if a.dtype.kind != 'b' else c.ravel().astype(int).tolist(),
                  'exact': [str(v) for v in c.ravel().tolist()]}
v2 = np.arange(5, dtype=np.float32)
with open(f'{d}/v2.npy', 'wb') as f:
    np.lib.format.write_array(f, v2, version=(2, 0))
with open(f'{d}/v3.npy', 'wb') as f:
    np.lib.format.write_array(f, v2, version=(3, 0))
print(json.dumps(meta))
`,
      [dir],
    );
    // Python's json writes Infinity/NaN bare: quote them, and turn them back into numbers below.
    const meta = JSON.parse(out.replace(/-?Infinity|NaN/g, '"$&"')) as Record<
      string,
      { shape: number[]; values: (number | string)[]; exact: string[] }
    >;
    const expectDtype: Record<string, DType> = {
      bool: "bool",
      i1: "int8",
      u1: "uint8",
      i2: "int16",
      u2: "uint16",
      i4: "int32",
      u4: "uint32",
      i8: "int64",
      u8: "uint64",
      f2: "float16",
      f4: "float32",
      f8: "float64",
      be_f8: "float64",
      be_i4: "int32",
      be_u2: "uint16",
      be_f2: "float16",
      be_i8: "int64",
      fortran: "int32",
      fortran_be: "float32",
      scalar: "float64",
      empty: "float64",
      empty2d: "int16",
    };
    for (const [name, m] of Object.entries(meta)) {
      const a = await readNpy(`${dir}/${name}.npy`);
      assertEquals(a.dtype, expectDtype[name], name);
      assertEquals(a.shape, m.shape, name);
      if (a.dtype === "int64" || a.dtype === "uint64") {
        assertEquals(Array.from(a.data as BigInt64Array, String), m.exact, name);
      } else {
        assertEquals(Array.from(a.data as Float64Array, Number), m.values.map(Number), name);
      }
    }
    for (const v of ["v2", "v3"]) {
      const a = await readNpy(`${dir}/${v}.npy`);
      assertEquals([a.dtype, a.shape, Array.from(a.data as Float32Array)], ["float32", [5], [
        0,
        1,
        2,
        3,
        4,
      ]]);
    }
  });
});

Deno.test("writeNpy() accepts typed arrays, { data, shape } and nested arrays; bad shapes are refused", async () => {
  await withTempDir(async (dir) => {
    await writeNpy(`${dir}/a.npy`, new Int16Array([1, 2, 3]));
    assertEquals((await readNpy(`${dir}/a.npy`)).shape, [3]);
    await writeNpy(`${dir}/b.npy`, [[true, false], [false, false]]);
    assertEquals((await readNpy(`${dir}/b.npy`)).dtype, "bool");
    await writeNpy(`${dir}/c.npy`, [[1n, 2n]]);
    assertEquals((await readNpy(`${dir}/c.npy`)).dtype, "int64");
    assertThrows(() => encodeNpy({ data: new Float32Array(5), shape: [2, 3] }), TypeError, "[2,3]");
    assertThrows(() => encodeNpy([[1, 2], [3]]), TypeError, "Ragged");
    assertThrows(() => encodeNpy({ data: new Float32Array(2), dtype: "int32" }), TypeError);
  });
});

Deno.test("a header over 64 KiB switches to format 2.0 and reads back", async () => {
  // numpy arrays have at most 64 dimensions, so only sweepstore itself writes such headers.
  await withTempDir(async (dir) => {
    const shape = [...Array(30000).fill(1), 2];
    await writeNpy(`${dir}/big.npy`, { data: new Float64Array([1, 2]), shape });
    const bytes = await Deno.readFile(`${dir}/big.npy`);
    assertEquals([bytes[6], bytes[7]], [2, 0]);
    const back = await readNpy(`${dir}/big.npy`);
    assertEquals([back.shape.length, Array.from(back.data as Float64Array)], [30001, [1, 2]]);
  });
});

Deno.test("corrupt, truncated and unsupported .npy files give errors naming the file", async () => {
  await withTempDir(async (dir) => {
    await writeNpy(`${dir}/ok.npy`, new Float64Array(100));
    const whole = await Deno.readFile(`${dir}/ok.npy`);
    await Deno.writeFile(`${dir}/truncated.npy`, whole.subarray(0, 300));
    await Deno.writeFile(`${dir}/garbage.npy`, new TextEncoder().encode("not numpy at all"));
    await python(
      `import numpy as np, sys
np.save(sys.argv[1] + '/complex.npy', np.array([1 + 2j]))
np.save(sys.argv[1] + '/strings.npy', np.array(['a', 'b']))
np.save(sys.argv[1] + '/structured.npy', np.zeros(2, dtype=[('a', 'f4'), ('b', 'i4')]))`,
      [dir],
    );
    for (
      const [name, text] of [
        ["truncated", "truncated"],
        ["garbage", "magic"],
        ["complex", "'<c16'"],
        ["strings", "'<U1'"],
        ["structured", "structured"],
      ]
    ) {
      const err = await assertRejects(() => readNpy(`${dir}/${name}.npy`), StorageError, text);
      assert(err.message.includes(`${dir}/${name}.npy`), err.message);
    }
    await assertRejects(() => readNpy(`${dir}/missing.npy`), Deno.errors.NotFound);
    assertThrows(() => decodeNpy(new Uint8Array(3)), StorageError);
  });
});
