// Big .npy reads into huge pages, in processes started with --allow-ffi: the new buffer is marked with
// madvise(MADV_HUGEPAGE) before the read (seen with strace), the values are numpy's (C order, and a
// big-endian Fortran-ordered file, which is read into a buffer of its own and converted), and nothing of
// the kind happens without --allow-ffi or for small arrays.
import { assert, assertEquals } from "./_assert.ts";
import { fixture, python, run, withTempDir } from "./_helpers.ts";

const MIB = 1024 * 1024;

/** Writes the test files with numpy; returns what each holds, as the fixture prints it. */
async function numpyFiles(dir: string): Promise<{ paths: string[]; want: unknown[] }> {
  const out = await python(
    `import numpy as np, sys, json
d = sys.argv[1]
a = (np.arange(12 * 1024 * 1024 // 8) * 0.25 - 7).reshape(-1, 1024)
b = np.asfortranarray((np.arange(9 * 1024 * 1024 // 4, dtype='>i4') % 1000 - 500).reshape(1024, -1))
c = np.arange(1000, dtype='<f4')
for name, x in (('a', a), ('b', b), ('c', c)):
    np.save('%s/%s.npy' % (d, name), x)
    r = np.ascontiguousarray(x).ravel()
    print(json.dumps({'dtype': {'f8': 'float64', 'i4': 'int32', 'f4': 'float32'}[x.dtype.str[1:]],
      'shape': list(x.shape), 'sum': float(r.astype(np.float64).sum()), 'first': float(r[0]), 'last': float(r[-1])}))`,
    [dir],
  );
  return {
    paths: ["a", "b", "c"].map((n) => `${dir}/${n}.npy`),
    want: out.trim().split("\n").map((l) => JSON.parse(l)),
  };
}

/** Reads the files in a fresh Deno under strace (madvise calls logged): the fixture's JSON and the log. */
async function read(paths: string[], ffi: boolean, log: string) {
  const out = await run("strace", [
    ...["-f", "-e", "trace=madvise", "-o", log],
    Deno.execPath(),
    "run",
    "--allow-read",
    ...(ffi ? ["--allow-ffi"] : []),
    fixture("npy_ffi_read.ts"),
    ...paths,
  ]);
  assertEquals(out.code, 0, out.stderr);
  const hugeLengths = [...(await Deno.readTextFile(log)).matchAll(
    /madvise\(0x[0-9a-f]+, (\d+), MADV_HUGEPAGE\)\s+= 0/g,
  )].map((m) => Number(m[1]));
  return { got: out.stdout.trim().split("\n").map((l) => JSON.parse(l)), hugeLengths };
}

Deno.test("readNpy with --allow-ffi reads big arrays into huge pages, numpy's values", async () => {
  await withTempDir(async (dir) => {
    const { paths, want } = await numpyFiles(dir);
    const { got, hugeLengths } = await read(paths, true, `${dir}/strace.log`);
    assertEquals(got, want);
    // the two big arrays' buffers (12 MiB and 9 MiB, less at most one page at each end); not the small one
    const big = hugeLengths.filter((n) => n >= 8 * MIB).sort((x, y) => x - y);
    assertEquals(big.length, 2, `madvise(MADV_HUGEPAGE) calls: ${hugeLengths}`);
    assert(big[0] > 9 * MIB - 8192 && big[0] <= 9 * MIB, `${big}`);
    assert(big[1] > 12 * MIB - 8192 && big[1] <= 12 * MIB, `${big}`);
  });
});

Deno.test("readNpy without --allow-ffi marks nothing (the opt-in is the permission), same values", async () => {
  await withTempDir(async (dir) => {
    const { paths, want } = await numpyFiles(dir);
    const { got, hugeLengths } = await read(paths, false, `${dir}/strace.log`);
    assertEquals(got, want);
    assertEquals(hugeLengths.filter((n) => n >= 8 * MIB), [], `${hugeLengths}`);
  });
});
