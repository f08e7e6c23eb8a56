import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { python, withTempDir } from "./_helpers.ts";
import { getReducer, type ReducerName, removeDuplicatesGetEval } from "../src/group/reducers.ts";

/** PymoNNto's StorageManagerGroup.remove_duplicates_get_eval, verbatim apart from self. */
const PYMONNTO_REDUCE = `def remove_duplicates_get_eval(x, y, evalstr='np.average(a)'):
    unique = np.unique(x)
    result = np.zeros(len(unique))
    for i, u in enumerate(unique):
        a = y[x == u]
        result[i] = eval(evalstr)
    return unique, result
`;

const NAMES: ReducerName[] = ["mean", "average", "std", "median", "min", "max", "sum", "count"];
const NAN_NAMES: ReducerName[] = ["nanmean", "nanstd", "nanmedian", "nanmin", "nanmax", "nansum"];

/** Deterministic pseudo-random numbers in [0, 1). */
function random(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** Fails unless `actual` equals `expected` within `rel` relative tolerance (NaN only equals NaN). */
function assertClose(actual: number, expected: number, what: string, rel = 1e-12): void {
  if (Number.isNaN(expected) || !Number.isFinite(expected)) {
    assert(Object.is(actual, expected), `${what}: got ${actual}, numpy ${expected}`);
    return;
  }
  const scale = Math.max(Math.abs(expected), Math.abs(actual));
  assert(
    Math.abs(actual - expected) <= rel * scale,
    `${what}: got ${actual}, numpy ${expected} (relative difference ${
      Math.abs(actual - expected) / scale
    })`,
  );
}

/** Runs a Python script with the path of a JSON file holding `json` (too long for an argument) as argv[1]. */
function pythonWithJson(json: string, script: string): Promise<string> {
  return withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/input.json`, json);
    return await python(script, [`${dir}/input.json`]);
  });
}

// JSON has no NaN or infinities: both sides send them as strings.
const encode = (v: number) => (Number.isFinite(v) ? v : String(v));
const decode = (v: number | string) =>
  typeof v === "number"
    ? v
    : v === "nan" || v === "NaN"
    ? NaN
    : v.startsWith("-")
    ? -Infinity
    : Infinity;
const PY_DECODE = `
import json, math, sys
import numpy as np
def dec(v): return float(v) if isinstance(v, str) else v
def enc(v):
    v = float(v)
    return v if math.isfinite(v) else repr(v)
`;

Deno.test("reducers agree with numpy's mean, average, std, median, min, max, sum and len within 1e-12", async () => {
  const r = random(7);
  const arrays: number[][] = [
    [1, 2, 3, 4],
    [5],
    [2, 2],
    [-0.5, 0.25, 1e-300, -1e-300],
    Array.from({ length: 1001 }, () => r() * 1e6 + 1e9), // large offset: a naive one-pass std fails
    Array.from({ length: 500 }, () => (r() - 0.5) * 1e-8),
    Array.from({ length: 64 }, () => Math.floor(r() * 10)),
    Array.from({ length: 2000 }, () => Math.exp((r() - 0.5) * 40) * (r() < 0.5 ? -1 : 1)),
    Array.from({ length: 100_000 }, () => r()),
    [1, NaN, 3],
    [1, Infinity, 3],
    [-Infinity, 0],
  ];
  const out = await pythonWithJson(
    JSON.stringify(arrays.map((a) => a.map(encode))),
    `${PY_DECODE}
res = []
for a in json.loads(open(sys.argv[1]).read()):
    a = np.array([dec(v) for v in a], dtype=np.float64)
    with np.errstate(all='ignore'):
        res.append({'mean': enc(np.mean(a)), 'average': enc(np.average(a)), 'std': enc(np.std(a)),
                    'median': enc(np.median(a)), 'min': enc(np.min(a)), 'max': enc(np.max(a)),
                    'sum': enc(np.sum(a)), 'count': len(a)})
print(json.dumps(res))`,
  );
  const expected = JSON.parse(out) as Record<ReducerName, number | string>[];
  arrays.forEach((a, i) => {
    for (const name of NAMES) {
      assertClose(getReducer(name)(a), decode(expected[i][name]), `${name} of array ${i}`);
    }
  });
});

Deno.test("reducers on empty input give NaN (count and sum 0) and leave their input unchanged", () => {
  for (const name of ["mean", "average", "std", "median", "min", "max"] as const) {
    assert(Number.isNaN(getReducer(name)([])), name);
  }
  assertEquals(getReducer("count")([]), 0);
  assertEquals(getReducer("sum")([]), 0);
  const values = [3, 1, 2];
  for (const name of NAMES) getReducer(name)(values);
  assertEquals(values, [3, 1, 2]);
  assertEquals(getReducer("std")([1e9 + 1, 1e9 + 1, 1e9 + 1]), 0);
});

Deno.test("getReducer() returns functions as they are and lists the valid names for unknown ones", () => {
  const twice = (a: number[]) => a.length * 2;
  assertEquals(getReducer(twice), twice);
  assertEquals(getReducer("average"), getReducer("mean"));
  assertThrows(
    () => getReducer("np.average(a)" as ReducerName),
    TypeError,
    'Unknown reducer "np.average(a)": use one of mean, average, std, median, min, max, sum, count',
  );
  assertThrows(() => getReducer("constructor" as ReducerName), TypeError, "Unknown reducer");
  assertThrows(() => getReducer("toString" as ReducerName), TypeError, "Unknown reducer");
  assertThrows(() => getReducer(3 as unknown as ReducerName), TypeError, "got number");
});

Deno.test("removeDuplicatesGetEval() combines the seed's scores and neuron counts per unique score", () => {
  // The seed: unique_score_list, average_number_of_neuron_list_per_score = smg.remove_duplicates_get_eval(
  //   scores, n_o_n, evalstr='np.average(a)')
  const scores = [0.5, 0.7, 0.5, null, 0.9, 0.7, NaN, 0.5];
  const neurons = [100, 200, 300, 400, 500, 600, 700, undefined];
  assertEquals(removeDuplicatesGetEval(scores, neurons), [[0.5, 0.7, 0.9], [200, 400, 500]]);
  assertEquals(removeDuplicatesGetEval(scores, neurons, "count"), [[0.5, 0.7, 0.9], [2, 2, 1]]);
  assertEquals(removeDuplicatesGetEval(scores, neurons, "std"), [[0.5, 0.7, 0.9], [100, 200, 0]]);
  assertEquals(
    removeDuplicatesGetEval(scores, neurons, (a) => a[a.length - 1]),
    [[0.5, 0.7, 0.9], [300, 600, 500]],
    "a function sees the y values in their original order",
  );
  assertEquals(removeDuplicatesGetEval([], []), [[], []]);
});

Deno.test("removeDuplicatesGetEval() sorts strings, booleans and mixed x, and reads bigints and booleans as numbers", () => {
  assertEquals(removeDuplicatesGetEval(["b", "a", "b", "B"], [1, 2, 3, 4], "sum"), [
    ["B", "a", "b"],
    [4, 2, 4],
  ]);
  assertEquals(removeDuplicatesGetEval([true, false, true], [1, 2, 3]), [[false, true], [2, 2]]);
  assertEquals(
    removeDuplicatesGetEval(["x", 2, true, 10n, 2, -0, 0], [1, 1, 1, 1, 3, 5, 7]),
    [[true, 0, 2, 10, "x"], [1, 6, 2, 1, 1]],
  );
  assertEquals(
    removeDuplicatesGetEval([1, 1, 1, 2, 3, 4], [true, false, 5n, "text", [1], { a: 1 }]),
    [[1], [2]],
    "y: booleans as 0/1, bigints as numbers, strings, lists and objects dropped",
  );
  assertEquals(
    removeDuplicatesGetEval([[1], { a: 1 }, 3], [1, 2, 3]),
    [[3], [3]],
    "x: lists and objects dropped",
  );
});

Deno.test("removeDuplicatesGetEval() rejects x and y of different lengths, non-arrays and unknown reducers", () => {
  assertThrows(() => removeDuplicatesGetEval([1], [1, 2]), TypeError, "same length (got 1 and 2)");
  assertThrows(
    () => removeDuplicatesGetEval("12" as unknown as unknown[], [1, 2]),
    TypeError,
    "two arrays",
  );
  assertThrows(
    () => removeDuplicatesGetEval([1], [1], "np.std(a)" as ReducerName),
    TypeError,
    "Unknown reducer",
  );
});

Deno.test("removeDuplicatesGetEval() agrees with PymoNNto's np.unique + eval(evalstr) on random data", async () => {
  const r = random(11);
  const n = 3000;
  const x = Array.from({ length: n }, () => Math.round(r() * 40) / 8); // many duplicates
  const y = Array.from({ length: n }, () => r() * 100 - 20);
  const evalstrs: Record<string, string> = {
    mean: "np.average(a)",
    average: "np.average(a)",
    std: "np.std(a)",
    median: "np.median(a)",
    min: "np.min(a)",
    max: "np.max(a)",
    sum: "np.sum(a)",
    count: "len(a)",
  };
  const out = await pythonWithJson(
    JSON.stringify({ x, y, evalstrs }),
    `import json, sys
import numpy as np
${PYMONNTO_REDUCE}d = json.loads(open(sys.argv[1]).read())
x, y = np.array(d['x']), np.array(d['y'])
res = {}
for name, evalstr in d['evalstrs'].items():
    u, v = remove_duplicates_get_eval(x, y, evalstr)
    res[name] = [u.tolist(), v.tolist()]
print(json.dumps(res))`,
  );
  const expected = JSON.parse(out) as Record<ReducerName, [number[], number[]]>;
  for (const name of NAMES) {
    const [ux, values] = removeDuplicatesGetEval(x, y, name);
    assertEquals(ux, expected[name][0], `${name}: unique x`);
    assertEquals(values.length, expected[name][1].length);
    values.forEach((v, i) => assertClose(v, expected[name][1][i], `${name} at x=${ux[i]}`));
  }
});

Deno.test("a NaN y makes its group's value NaN (count counts it), as numpy; the nan… reducers skip it", () => {
  const [ux, mean] = removeDuplicatesGetEval([1, 1], [NaN, 2], "mean");
  assertEquals(ux, [1]);
  assert(Number.isNaN(mean[0]), `mean of [NaN, 2] is NaN, got ${mean[0]}`);
  assertEquals(removeDuplicatesGetEval([1, 1], [NaN, 2], "count"), [[1], [2]]);
  assertEquals(removeDuplicatesGetEval([1, 1], [NaN, 2], "nanmean"), [[1], [2]]);
  for (const name of ["std", "median", "min", "max", "sum"] as const) {
    const [, v] = removeDuplicatesGetEval([1, 1, 2], [NaN, 2, 5], name);
    assert(Number.isNaN(v[0]) && v[1] === (name === "std" ? 0 : 5), `${name}: ${v}`);
  }
  assertEquals(removeDuplicatesGetEval([1, 1, 2], [NaN, 2, 5], "nanstd"), [[1, 2], [0, 0]]);
  assertEquals(removeDuplicatesGetEval([1, 2, 2], [NaN, NaN, 4], "nansum"), [[1, 2], [0, 4]]);
  assertEquals(
    removeDuplicatesGetEval([NaN, NaN, 1, null], [1, 2, 3, 4]),
    [[1], [3]],
    "an x that is NaN (like null) forms no group, every NaN alike",
  );
  assert(Number.isNaN(getReducer("nanmean")([NaN, NaN])), "all NaN: NaN, as numpy");
  assertEquals(getReducer("nansum")([NaN]), 0);
  const values = [NaN, 2, 1];
  for (const name of NAN_NAMES) getReducer(name)(values);
  assert(Object.is(values[0], NaN) && values[1] === 2 && values[2] === 1, "input left unchanged");
});

Deno.test("nanmean, nanstd, nanmedian, nanmin, nanmax and nansum agree with numpy's within 1e-12", async () => {
  const r = random(5);
  const arrays: number[][] = [
    [1, NaN, 3],
    [NaN],
    [NaN, NaN],
    [4, 1, NaN, 3, 2],
    [Infinity, NaN, -Infinity],
    [-Infinity, NaN, 5],
    Array.from({ length: 1001 }, () => (r() < 0.2 ? NaN : r() * 1e6 + 1e9)),
    Array.from({ length: 5000 }, () => (r() < 0.5 ? NaN : (r() - 0.5) * 1e-8)),
    Array.from({ length: 64 }, () => Math.floor(r() * 10)),
  ];
  const out = await pythonWithJson(
    JSON.stringify(arrays.map((a) => a.map(encode))),
    `${PY_DECODE}
import warnings
warnings.simplefilter('ignore')  # numpy warns on all-NaN slices and returns NaN
res = []
for a in json.loads(open(sys.argv[1]).read()):
    a = np.array([dec(v) for v in a], dtype=np.float64)
    with np.errstate(all='ignore'):
        res.append({n: enc(getattr(np, n)(a)) for n in
                    ['nanmean', 'nanstd', 'nanmedian', 'nanmin', 'nanmax', 'nansum']})
print(json.dumps(res))`,
  );
  const expected = JSON.parse(out) as Record<ReducerName, number | string>[];
  arrays.forEach((a, i) => {
    for (const name of NAN_NAMES) {
      assertClose(getReducer(name)(a), decode(expected[i][name]), `${name} of array ${i}`);
    }
  });
});

Deno.test("removeDuplicatesGetEval() with NaN in y agrees with PymoNNto's np.unique + eval(evalstr)", async () => {
  const r = random(13);
  const n = 2000;
  const x = Array.from({ length: n }, () => Math.round(r() * 24) / 4);
  const y = Array.from({ length: n }, (_, i) => (i % 7 === 3 ? NaN : r() * 100 - 20));
  const names = [...NAMES, ...NAN_NAMES];
  const evalstrs = Object.fromEntries(
    names.map((name) => [
      name,
      name === "count" ? "len(a)" : `np.${name === "mean" ? "average" : name}(a)`,
    ]),
  );
  const out = await pythonWithJson(
    JSON.stringify({ x, y: y.map(encode), evalstrs }),
    `${PY_DECODE}
${PYMONNTO_REDUCE}d = json.loads(open(sys.argv[1]).read())
x, y = np.array(d['x']), np.array([dec(v) for v in d['y']], dtype=np.float64)
res = {}
for name, evalstr in d['evalstrs'].items():
    u, v = remove_duplicates_get_eval(x, y, evalstr)
    res[name] = [u.tolist(), [enc(e) for e in v]]
print(json.dumps(res))`,
  );
  const expected = JSON.parse(out) as Record<string, [number[], (number | string)[]]>;
  let nanGroups = 0;
  for (const name of names) {
    const [ux, values] = removeDuplicatesGetEval(x, y, name);
    assertEquals(ux, expected[name][0], `${name}: unique x`);
    values.forEach((v, i) => {
      if (Number.isNaN(v)) nanGroups++;
      assertClose(v, decode(expected[name][1][i]), `${name} at x=${ux[i]}`);
    });
  }
  assert(nanGroups > 0, "the data has groups whose plain reducers give NaN");
});
