import { assert, assertEquals, assertRejects, assertThrows } from "./_assert.ts";
import { python, withTempDir } from "./_helpers.ts";
import { decodeNpy, encodeNpy, encodeNpyHeader, readNpy, writeNpy } from "../src/formats/npy.ts";
import type { DType, NdArray, TypedArray } from "../src/formats/ndarray.ts";
import { StorageError } from "../src/errors.ts";

// ---------------------------------------------------------------------------------------------------
// Helpers

function bytesOf(a: TypedArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

async function sha(a: TypedArray): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytesOf(a).slice());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A hand-made .npy file: magic, version, the header text padded to 64 bytes, then `data`. */
function npyBytes(dict: string, data: Uint8Array = new Uint8Array(0), major = 1): Uint8Array {
  const prefix = major === 1 ? 10 : 12;
  let text = dict;
  while ((prefix + text.length + 1) % 64 !== 0) text += " ";
  text += "\n";
  const head = new Uint8Array(prefix);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(head.buffer);
  const encoded = new TextEncoder().encode(text);
  if (major === 1) view.setUint16(8, encoded.length, true);
  else view.setUint32(8, encoded.length, true);
  return concat([head, encoded, data]);
}

/** The numpy dtype code (without byte order) of each DType. */
const CODE: Record<DType, string> = {
  bool: "b1",
  int8: "i1",
  uint8: "u1",
  int16: "i2",
  uint16: "u2",
  float16: "f2",
  int32: "i4",
  uint32: "u4",
  float32: "f4",
  int64: "i8",
  uint64: "u8",
  float64: "f8",
};
const DTYPE_OF_CODE = Object.fromEntries(Object.entries(CODE).map(([k, v]) => [v, k])) as Record<
  string,
  DType
>;

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

Deno.test("decodeNpy() returns a view of the bytes, readNpy() a buffer of its own", async () => {
  const bytes = concat(encodeNpy({ data: Float64Array.of(1, 2, 3, 4, 5, 6), shape: [2, 3] }));
  const a = decodeNpy(bytes);
  assert(a.data.buffer === bytes.buffer, "a view, not a copy");
  assertEquals([a.data.byteOffset, a.shape, a.dtype], [128, [2, 3], "float64"]);
  const [, data] = encodeNpy(a);
  assert(data.buffer === bytes.buffer, "encodeNpy() does not copy the data either");
  // Unaligned bytes are copied, not misread.
  const shifted = new Uint8Array(bytes.length + 1).subarray(1);
  shifted.set(bytes);
  assertEquals(Array.from(decodeNpy(shifted).data as Float64Array), [1, 2, 3, 4, 5, 6]);
  await withTempDir(async (dir) => {
    await writeNpy(`${dir}/a.npy`, a);
    const b = await readNpy(`${dir}/a.npy`);
    assertEquals([b.data.byteOffset, b.data.buffer.byteLength], [0, 48]);
    assertEquals(Array.from(b.data as Float64Array), [1, 2, 3, 4, 5, 6]);
  });
});

Deno.test("decodeNpy() reorders Fortran-ordered data like a naive index walk, for many shapes", () => {
  const shapes = [[2, 3], [1, 7], [7, 1], [33, 65], [70, 3, 40], [2, 3, 4, 5], [3, 1, 2, 1, 4], [
    2,
    2,
    2,
    2,
    2,
    2,
  ]];
  for (const shape of shapes) {
    const n = shape.reduce((a, b) => a * b, 1);
    const fortran = Int32Array.from({ length: n }, (_, i) => i * 7 + 1);
    const dict = `{'descr': '<i4', 'fortran_order': True, 'shape': (${shape.join(", ")}), }`;
    const a = decodeNpy(npyBytes(dict, bytesOf(fortran)));
    // Naive: the C-order index of each element, its column-major offset.
    const expected = new Int32Array(n);
    const idx = new Array(shape.length).fill(0);
    for (let c = 0; c < n; c++) {
      let off = 0, stride = 1;
      for (let k = 0; k < shape.length; k++) {
        off += idx[k] * stride;
        stride *= shape[k];
      }
      expected[c] = fortran[off];
      for (let k = shape.length - 1; k >= 0 && ++idx[k] === shape[k]; k--) idx[k] = 0;
    }
    assertEquals(a.shape, shape);
    assertEquals(Array.from(a.data as Int32Array), Array.from(expected), `shape ${shape}`);
  }
});

Deno.test("decodeNpy() reads descr variants and headers numpy's reader accepts", () => {
  const u8 = Uint8Array.of(1, 2, 3);
  for (const descr of ["<u1", "|u1", ">u1", "=u1", "u1"]) {
    const a = decodeNpy(
      npyBytes(`{'descr': '${descr}', 'fortran_order': False, 'shape': (3,), }`, u8),
    );
    assertEquals([a.dtype, Array.from(a.data as Uint8Array)], ["uint8", [1, 2, 3]], descr);
  }
  const i1 = decodeNpy(
    npyBytes(
      `{'descr': '|i1', 'fortran_order': False, 'shape': (3,), }`,
      Uint8Array.of(255, 128, 1),
    ),
  );
  assertEquals([i1.dtype, Array.from(i1.data as Int8Array)], ["int8", [-1, -128, 1]]);
  // Python 2 era headers: longs (3L), keys in another order, double quotes, no trailing comma.
  const be = Uint8Array.of(0, 1, 0, 2, 1, 0);
  const old = decodeNpy(npyBytes(`{"shape": (3L,), "fortran_order": False, "descr": ">u2"}`, be));
  assertEquals([old.dtype, old.shape, Array.from(old.data as Uint16Array)], ["uint16", [3], [
    1,
    2,
    256,
  ]]);
  const v2 = decodeNpy(
    npyBytes(
      `{'descr': '>i4', 'fortran_order': False, 'shape': (), }`,
      Uint8Array.of(255, 255, 255, 254),
      2,
    ),
  );
  assertEquals([v2.shape, Array.from(v2.data as Int32Array)], [[], [-2]]);
  const utf8 = decodeNpy(
    npyBytes(
      `{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }`,
      bytesOf(Float32Array.of(0.5)),
      3,
    ),
  );
  assertEquals(Array.from(utf8.data as Float32Array), [0.5]);
});

Deno.test("corrupt and truncated .npy files give a StorageError naming the file", async () => {
  await withTempDir(async (dir) => {
    const good = concat(encodeNpy({ data: new Float64Array(100), shape: [10, 10] }));
    const header = (dict: string) => npyBytes(dict, new Uint8Array(64));
    const files: [string, Uint8Array, string][] = [
      ["empty", new Uint8Array(0), "empty"],
      ["text", new TextEncoder().encode("not numpy at all"), "magic"],
      ["cut_in_magic", good.subarray(0, 4), "truncated"],
      ["cut_in_header", good.subarray(0, 60), "header is truncated"],
      ["cut_in_data", good.subarray(0, 300), "data of shape (10, 10) is truncated"],
      ["version", Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 9, 0, 0, 0), "version 9.0"],
      ["not_a_dict", header("[1, 2, 3]"), "not a Python dict"],
      [
        "bad_literal",
        header("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2}"),
        "not a Python dict literal",
      ],
      [
        "call",
        header("{'descr': '<f8', 'fortran_order': False, 'shape': __import__('os'), }"),
        "not a Python dict literal",
      ],
      ["no_shape", header("{'descr': '<f8', 'fortran_order': False, }"), "'shape'"],
      ["negative", header("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }"), "'shape'"],
      [
        "float_dim",
        header("{'descr': '<f8', 'fortran_order': False, 'shape': (2.5,), }"),
        "'shape'",
      ],
      [
        "no_order",
        header("{'descr': '<f8', 'fortran_order': 0, 'shape': (2,), }"),
        "'fortran_order'",
      ],
      ["no_descr", header("{'fortran_order': False, 'shape': (2,), }"), "'descr'"],
      [
        "huge",
        header("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000, 1000000), }"),
        "too large",
      ],
    ];
    for (const [name, bytes, text] of files) {
      const path = `${dir}/${name}.npy`;
      await Deno.writeFile(path, bytes);
      const err = await assertRejects(() => readNpy(path), StorageError, text);
      assert(err.message.includes(path), err.message);
      assertEquals((err as StorageError).path, path);
      // a format version from the future is a valid file this codec cannot read; the rest is damage
      assertEquals(
        (err as StorageError).code,
        name === "version" ? "unsupported" : "corrupt",
        name,
      );
      assertThrows(() => decodeNpy(bytes, path), StorageError, text);
    }
    // A large file cut short, so that its data would be read in parallel parts.
    const big = concat(encodeNpy(new Float64Array(3_000_000)));
    await Deno.writeFile(`${dir}/big_cut.npy`, big.subarray(0, big.length - 8));
    const cut = await assertRejects(() => readNpy(`${dir}/big_cut.npy`), StorageError, "truncated");
    assertEquals((cut as StorageError).code, "corrupt");
    await assertRejects(() => readNpy(`${dir}/missing.npy`), Deno.errors.NotFound);
    assertThrows(() => decodeNpy(new Uint8Array(3)), StorageError, "<.npy bytes>");
  });
});

Deno.test("a header over 64 KiB switches to format 2.0 and reads back", async () => {
  // numpy arrays have at most 64 dimensions, so only sweepstore itself writes such headers.
  await withTempDir(async (dir) => {
    const shape = [...Array(30000).fill(1), 2];
    await writeNpy(`${dir}/big.npy`, { data: new Float64Array([1, 2]), shape });
    const bytes = await Deno.readFile(`${dir}/big.npy`);
    assertEquals([bytes[6], bytes[7], (bytes.length - 16) % 64], [2, 0, 0]);
    const back = await readNpy(`${dir}/big.npy`);
    assertEquals([back.shape.length, Array.from(back.data as Float64Array)], [30001, [1, 2]]);
    assertEquals(
      encodeNpyHeader({ data: new Float64Array(0), shape: [0], dtype: "float64" }).length,
      128,
    );
  });
});

Deno.test("writeNpy() accepts typed arrays, { data, shape } and nested arrays; bad input is refused", async () => {
  await withTempDir(async (dir) => {
    await writeNpy(`${dir}/a.npy`, new Int16Array([1, 2, 3]));
    assertEquals((await readNpy(`${dir}/a.npy`)).shape, [3]);
    await writeNpy(`${dir}/b.npy`, [[true, false], [false, false]]);
    assertEquals((await readNpy(`${dir}/b.npy`)).dtype, "bool");
    await writeNpy(`${dir}/c.npy`, [[1n, 2n]]);
    assertEquals((await readNpy(`${dir}/c.npy`)).dtype, "int64");
    await writeNpy(`${dir}/d.npy`, new Uint8ClampedArray([1, 2]));
    assertEquals((await readNpy(`${dir}/d.npy`)).dtype, "uint8");
    // Bool bytes other than 0 and 1 are written as 1, as numpy stores True.
    const flags = Uint8Array.of(0, 2, 255, 1);
    await writeNpy(`${dir}/e.npy`, { data: flags, dtype: "bool" });
    assertEquals(Array.from((await readNpy(`${dir}/e.npy`)).data as Uint8Array), [0, 1, 1, 1]);
    assertEquals(Array.from(flags), [0, 2, 255, 1], "the input is not changed");
    // Rewriting replaces the file through a temp file: only the .npy files are left.
    await writeNpy(`${dir}/a.npy`, new Int16Array([4]));
    assertEquals((await readNpy(`${dir}/a.npy`)).shape, [1]);
    const names = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    assertEquals(names.sort(), ["a.npy", "b.npy", "c.npy", "d.npy", "e.npy"]);

    assertThrows(() => encodeNpy({ data: new Float32Array(5), shape: [2, 3] }), TypeError, "[2,3]");
    assertThrows(() => encodeNpy({ data: new Float32Array(6), shape: [2, -3] }), TypeError, "≥ 0");
    assertThrows(() => encodeNpy([[1, 2], [3]]), TypeError, "Ragged nested array at value[1]");
    assertThrows(() => encodeNpy([[1, 2], 3]), TypeError, "Ragged nested array at value[1]");
    assertThrows(() => encodeNpy([[1, [2]]]), TypeError, "value[0][1]");
    assertThrows(() => encodeNpy([1, true]), TypeError, "value[1] is boolean");
    assertThrows(() => encodeNpy([1, "2"] as never), TypeError, "value[1] is string");
    assertThrows(() => encodeNpy([2n ** 63n]), TypeError, "int64");
    assertThrows(() => encodeNpy({ data: new Float32Array(2), dtype: "int32" }), TypeError);
    assertThrows(() => encodeNpy({ shape: [2] } as never), TypeError);
  });
});

Deno.test("without Float16Array, float16 files are read as float32", async () => {
  const saved = globalThis.Float16Array;
  const half = concat(encodeNpy(Float16Array.of(1.5, -0, 65504, Infinity, 2 ** -24, NaN)));
  // deno-lint-ignore no-explicit-any
  delete (globalThis as any).Float16Array;
  try {
    const fresh: typeof import("../src/formats/npy.ts") = await import(
      "../src/formats/npy.ts?no-float16"
    );
    const a = fresh.decodeNpy(half);
    assertEquals(a.dtype, "float32");
    assert(a.data instanceof Float32Array);
    assertEquals(Array.from(a.data), [1.5, -0, 65504, Infinity, 2 ** -24, NaN]);
  } finally {
    globalThis.Float16Array = saved;
  }
});

Deno.test("readNpy() of a path it cannot read gives a StorageError naming it, coded by the OS error", async () => {
  await withTempDir(async (dir) => {
    // a folder: the OS refuses the read (EISDIR)
    const err = await assertRejects(() => readNpy(dir), StorageError, dir);
    assertEquals((err as StorageError).code, "io");
    assertEquals((err as StorageError).path, dir);
    // no read permission (Deno's): a process without --allow-read
    await writeNpy(`${dir}/a.npy`, new Float64Array([1]));
    const script = `${dir}/read.ts`;
    await Deno.writeTextFile(
      script,
      `import { readNpy } from ${
        JSON.stringify(new URL("../src/formats/npy.ts", import.meta.url).href)
      };
try { await readNpy(${JSON.stringify(`${dir}/a.npy`)}); console.log("read"); }
catch (err) { console.log(err.name, err.code, err.message.includes(${
        JSON.stringify(`${dir}/a.npy`)
      })); }`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", "--no-lock", script],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(new TextDecoder().decode(out.stdout).trim(), "StorageError permission true");
  });
});
