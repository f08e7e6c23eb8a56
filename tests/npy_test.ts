import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { python, withTempDir } from "./_helpers.ts";
import { readNpy, writeNpy } from "../src/formats/npy.ts";
import {
  type NdArray,
  type TypedArrayConstructor,
  typedArrayConstructor,
} from "../src/formats/ndarray.ts";
import { StorageError } from "../src/errors.ts";
import { DTYPE_OF_CODE, sha } from "./_npy_cases.ts";

/** What we write for numpy to check: every dtype with edge values, 0-d, empty, nested and large arrays. */
function ourArrays(): Record<string, NdArray> {
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
  new DataView(f64.buffer).setBigUint64(4 * 8, 0x7ff8_0000_dead_beefn, true); // a NaN with a payload
  const f32 = Float32Array.from([0, -0, 1.5, 3.4028234663852886e38, 1e-45, NaN, -Infinity, 0.1]);
  new DataView(f32.buffer).setUint32(5 * 4, 0xffc0_1234, true); // a negative NaN with a payload
  const f16 = new Float16Array(8);
  new Uint16Array(f16.buffer).set([0x0000, 0x8000, 0x3e00, 0xfbff, 0x7c00, 0xfc00, 0x0001, 0x7e55]);
  const big = new Float64Array(3_000_000);
  for (let i = 0; i < big.length; i++) big[i] = Math.sin(i) * 1e6;
  return {
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
    float16: { data: f16, shape: [2, 2, 2], dtype: "float16" },
    float32: { data: f32, shape: [2, 4], dtype: "float32" },
    float64: { data: f64, shape: [10], dtype: "float64" },
    scalar_f8: { data: Float64Array.of(-0), shape: [], dtype: "float64" },
    scalar_bool: { data: Uint8Array.of(1), shape: [], dtype: "bool" },
    scalar_u8: { data: BigUint64Array.of(2n ** 64n - 1n), shape: [], dtype: "uint64" },
    empty_f4: { data: new Float32Array(0), shape: [0], dtype: "float32" },
    empty_i4: { data: new Int32Array(0), shape: [3, 0], dtype: "int32" },
    empty_b: { data: new Uint8Array(0), shape: [0, 2, 5], dtype: "bool" },
    wide: { data: new Uint8Array(12345 * 3), shape: [12345, 3], dtype: "uint8" },
    big: { data: big, shape: [3000, 1000], dtype: "float64" },
  };
}

/** Nested-array inputs and what numpy must read from them (as np.array(expected) would build it). */
const NESTED = {
  nested_f8: {
    input: [[1, 2.5, -0], [NaN, Infinity, 3]],
    numpy: "np.array([[1, 2.5, -0.0], [np.nan, np.inf, 3]])",
  },
  nested_bool: {
    input: [[true, false], [false, true]],
    numpy: "np.array([[True, False], [False, True]])",
  },
  nested_i8: {
    input: [[1n, -(2n ** 63n)], [2n ** 63n - 1n, 0n]],
    numpy: "np.array([[1, -2**63], [2**63 - 1, 0]], np.int64)",
  },
  nested_3d: {
    input: [[[1], [2]], [[3], [4]], [[5], [6]]],
    numpy: "np.arange(1.0, 7).reshape(3, 2, 1)",
  },
  nested_empty: { input: [], numpy: "np.array([])" },
  nested_empty2: { input: [[], []], numpy: "np.zeros((2, 0))" },
};

/** What numpy writes for us to read: dtype code, shape and the SHA-256 of the little-endian C-order bytes. */
const NUMPY_CASES = `
cases = {}
for code in ['b1', 'i1', 'u1', 'i2', 'u2', 'i4', 'u4', 'i8', 'u8', 'f2', 'f4', 'f8']:
    dt = np.dtype(code)
    if dt.kind == 'b':
        a = np.array([[True, False, True], [False, False, True]])
    elif dt.kind == 'f':
        a = np.array([0.0, -0.0, 1.5, -2.25, np.inf, -np.inf, np.nan, np.finfo(dt).max, np.finfo(dt).tiny], dt)
    else:
        info = np.iinfo(dt)
        a = np.array([[info.min, info.max, 0], [1, 2, 3]], dt)
    cases['np_' + code] = a
    if dt.itemsize > 1:
        cases['be_' + code] = a.astype(dt.newbyteorder('>'))
    cases['scalar_' + code] = np.array(a.ravel()[1], dt)
cases['le_u1_explicit'] = np.array([1, 2, 250], '<u1')
cases['f_i4_234'] = np.asfortranarray(np.arange(24, dtype=np.int32).reshape(2, 3, 4))
cases['f_f8_70x45'] = np.asfortranarray(np.arange(70 * 45, dtype=np.float64).reshape(70, 45) / 7)
cases['f_be_i8'] = np.asfortranarray(np.arange(-30, 30, dtype='>i8').reshape(3, 4, 5))
cases['f_f2_5d'] = np.asfortranarray(np.arange(2 * 3 * 1 * 4 * 2, dtype=np.float16).reshape(2, 3, 1, 4, 2))
cases['f_b1'] = np.asfortranarray(np.arange(12).reshape(3, 4) % 3 == 0)
cases['transposed'] = np.arange(60, dtype=np.uint16).reshape(3, 4, 5).T
cases['empty_f8'] = np.zeros((0,))
cases['empty_i2'] = np.zeros((3, 0), np.int16)
cases['empty_f_u4'] = np.asfortranarray(np.zeros((2, 0, 3), np.uint32))
cases['big_be'] = np.arange(3_000_000, dtype='>f8') * 0.5
cases['big_f'] = np.asfortranarray((np.arange(2000 * 1500, dtype=np.float32) * 3).reshape(2000, 1500))
for name, a in cases.items():
    np.save(f'{d}/{name}.npy', a)
for name, version in [('v2', (2, 0)), ('v3', (3, 0))]:
    a = np.arange(12, dtype='>i2').reshape(3, 4)
    cases[name] = a
    with open(f'{d}/{name}.npy', 'wb') as f:
        np.lib.format.write_array(f, a, version=version)
theirs = {}
for name, a in cases.items():
    le = np.ascontiguousarray(a, dtype=a.dtype.newbyteorder('<'))
    theirs[name] = {'code': a.dtype.str[1:], 'shape': list(a.shape), 'fortran': bool(np.isfortran(a)),
                    'sha': hashlib.sha256(le.tobytes()).hexdigest()}
refused = {
    'complex': np.array([1 + 2j]), 'unicode': np.array(['a', 'bc']), 'bytes': np.array([b'abc']),
    'object': np.array([1, 'a'], dtype=object), 'datetime': np.array(['2020-01-01'], 'datetime64[ns]'),
    'timedelta': np.array([5], 'timedelta64[s]'), 'structured': np.zeros(2, dtype=[('a', 'f4'), ('b', 'i4')]),
    'longdouble': np.zeros(2, np.longdouble), 'void': np.zeros(2, 'V4'),
}
for name, a in refused.items():
    np.save(f'{d}/refused_{name}.npy', a)
refused = {name: a.dtype.str for name, a in refused.items()}
`;

// ---------------------------------------------------------------------------------------------------
// numpy interop: one python3 process checks our files and writes its own.

Deno.test("npy files interoperate with numpy", async (t) => {
  await withTempDir(async (dir) => {
    const ours = ourArrays();
    for (const [name, a] of Object.entries(ours)) await writeNpy(`${dir}/${name}.npy`, a);
    for (const [name, n] of Object.entries(NESTED)) await writeNpy(`${dir}/${name}.npy`, n.input);
    const out = await python(
      `
import hashlib, io, json, sys, numpy as np
d = sys.argv[1]
res = {}
for name in json.loads(sys.argv[2]):
    p = f'{d}/{name}.npy'
    a = np.load(p)
    b = io.BytesIO(); np.save(b, a)
    res[name] = {'dtype': str(a.dtype), 'shape': list(a.shape), 'sha': hashlib.sha256(a.tobytes()).hexdigest(),
                 'identical': open(p, 'rb').read() == b.getvalue()}
nested = {}
for name, expr in json.loads(sys.argv[3]).items():
    a, e = np.load(f'{d}/{name}.npy'), eval(expr)
    nested[name] = {'dtype': str(a.dtype) == str(e.dtype), 'shape': a.shape == e.shape,
                    'equal': bool(np.array_equal(a, e, equal_nan=a.dtype.kind == 'f'))}
${NUMPY_CASES}
print(json.dumps({'ours': res, 'nested': nested, 'theirs': theirs, 'refused': refused}))
`,
      [
        dir,
        JSON.stringify(Object.keys(ours)),
        JSON.stringify(Object.fromEntries(Object.entries(NESTED).map(([k, v]) => [k, v.numpy]))),
      ],
    );
    const res = JSON.parse(out) as {
      ours: Record<string, { dtype: string; shape: number[]; sha: string; identical: boolean }>;
      nested: Record<string, { dtype: boolean; shape: boolean; equal: boolean }>;
      theirs: Record<string, { code: string; shape: number[]; fortran: boolean; sha: string }>;
      refused: Record<string, string>;
    };

    await t.step(
      "numpy reads every dtype writeNpy() writes bit for bit (NaN payloads, -0, ±Inf)",
      async () => {
        for (const [name, a] of Object.entries(ours)) {
          const r = res.ours[name];
          assertEquals([r.dtype, r.shape], [a.dtype, a.shape], name);
          assertEquals(r.sha, await sha(a.data), `${name}: the data bits`);
        }
      },
    );

    await t.step("files written by writeNpy() are byte-identical to np.save's", () => {
      for (const name of Object.keys(ours)) assert(res.ours[name].identical, `${name} differs`);
    });

    await t.step("nested arrays are saved as float64, int64 or bool arrays numpy reads", () => {
      for (const [name, r] of Object.entries(res.nested)) {
        assertEquals(r, { dtype: true, shape: true, equal: true }, name);
      }
    });

    const readCase = async (name: string) => {
      const m = res.theirs[name];
      const a = await readNpy(`${dir}/${name}.npy`);
      assertEquals([a.dtype, a.shape], [DTYPE_OF_CODE[m.code], m.shape], name);
      assertEquals(await sha(a.data), m.sha, `${name}: the data bits`);
      assertEquals(a.data.byteOffset, 0, `${name}: data in a buffer of its own`);
      assertEquals(
        a.data.buffer.byteLength,
        a.data.byteLength,
        `${name}: data in a buffer of its own`,
      );
      return m;
    };

    await t.step("readNpy() reads every dtype numpy writes, 0-d arrays included", async () => {
      const names = Object.keys(res.theirs).filter((n) => /^(np|scalar)_/.test(n));
      assertEquals(names.length, 24);
      for (const name of names) await readCase(name);
      assertEquals((await readNpy(`${dir}/scalar_f8.npy`)).shape, []);
      await readCase("le_u1_explicit");
    });

    await t.step("readNpy() reads big-endian files into native byte order", async () => {
      const names = Object.keys(res.theirs).filter((n) => n.startsWith("be_"));
      assertEquals(names.length, 9);
      for (const name of names) await readCase(name);
      const be = await readNpy(`${dir}/be_f8.npy`);
      assertEquals(Array.from(be.data as Float64Array).slice(0, 6), [
        0,
        -0,
        1.5,
        -2.25,
        Infinity,
        -Infinity,
      ]);
    });

    await t.step("readNpy() returns Fortran-ordered files in row-major order", async () => {
      const names = ["f_i4_234", "f_f8_70x45", "f_be_i8", "f_f2_5d", "f_b1", "transposed"];
      for (const name of names) {
        assert((await readCase(name)).fortran, `${name} is Fortran-ordered`);
      }
      const a = await readNpy(`${dir}/f_i4_234.npy`);
      assertEquals(Array.from(a.data as Int32Array), Array.from({ length: 24 }, (_, i) => i));
    });

    await t.step("readNpy() reads empty arrays", async () => {
      for (const name of ["empty_f8", "empty_i2", "empty_f_u4"]) {
        const m = await readCase(name);
        assertEquals((await readNpy(`${dir}/${name}.npy`)).data.length, 0, `${name}: ${m.shape}`);
      }
    });

    await t.step("readNpy() reads format 2.0 and 3.0 files", async () => {
      for (const name of ["v2", "v3"]) {
        const bytes = await Deno.readFile(`${dir}/${name}.npy`);
        assertEquals(bytes[6], name === "v2" ? 2 : 3);
        await readCase(name);
      }
    });

    await t.step("readNpy() reads files over 16 MB (read in parallel parts) exactly", async () => {
      await readCase("big_be");
      await readCase("big_f");
    });

    await t.step(
      "readNpy({ into }) reads each numpy file into a reused buffer, bit for bit",
      async () => {
        const names = Object.keys(res.theirs).filter((n) =>
          res.theirs[n].shape.every((d) => d >= 0)
        );
        assert(names.length > 40, `${names.length} cases`);
        const sentinel = (Ctor: TypedArrayConstructor, n: number) => {
          const into = new Ctor(n + 3);
          new Uint8Array(into.buffer).fill(0xa5);
          return into;
        };
        for (const name of names) {
          const m = res.theirs[name];
          const dtype = DTYPE_OF_CODE[m.code];
          const count = m.shape.reduce((a, b) => a * b, 1);
          const into = sentinel(typedArrayConstructor(dtype), count);
          const a = await readNpy(`${dir}/${name}.npy`, { into });
          assertEquals([a.dtype, a.shape], [dtype, m.shape], name);
          assertEquals(await sha(a.data), m.sha, `${name}: the data bits`);
          assert(
            a.data.buffer === into.buffer && a.data.byteOffset === 0,
            `${name}: into's memory`,
          );
          const after = new Uint8Array(into.buffer, a.data.byteLength);
          assert(after.every((b) => b === 0xa5), `${name}: nothing written after the data`);
        }
      },
    );

    await t.step(
      "readNpy({ into }) refuses another dtype (TypeError) or too few elements (RangeError)",
      async () => {
        const path = `${dir}/np_f8.npy`;
        const count = res.theirs.np_f8.shape.reduce((a, b) => a * b, 1);
        const wrong = await assertRejects(
          () => readNpy(path, { into: new Float32Array(count) }),
          TypeError,
        );
        assert(wrong.message.includes(path) && wrong.message.includes("float64"), wrong.message);
        const short = await assertRejects(
          () => readNpy(path, { into: new Float64Array(count - 1) }),
          RangeError,
        );
        assert(short.message.includes(String(count)), short.message);
      },
    );

    await t.step(
      "unsupported dtypes are refused with an error naming the file and the dtype",
      async () => {
        assertEquals(Object.keys(res.refused).length, 9);
        for (const [name, descr] of Object.entries(res.refused)) {
          const path = `${dir}/refused_${name}.npy`;
          const err = await assertRejects(() => readNpy(path), StorageError);
          assert(err.message.includes(path), err.message);
          const shown = name === "structured" ? "structured" : `'${descr}'`;
          assert(err.message.includes(shown), `${name}: ${err.message}`);
          assert(err.message.includes("supported are"), err.message);
          assertEquals((err as StorageError).code, "unsupported", name);
        }
      },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// Without numpy
