/** The .npy codec on its own: views, Fortran order, header variants, damage, inputs, float16. */
import { assert, assertEquals, assertRejects, assertThrows } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { decodeNpy, encodeNpy, readNpy, writeNpy } from "../src/formats/npy.ts";
import { encodeNpyHeader } from "../src/formats/_npy_header.ts";
import { StorageError } from "../src/errors.ts";
import { bytesOf, concat, npyBytes } from "./_npy_cases.ts";

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
