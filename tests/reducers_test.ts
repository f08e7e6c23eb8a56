import { assertAlmostEquals, assertEquals, assertThrows } from "./_assert.ts";
import { python } from "./_helpers.ts";
import { getReducer, removeDuplicatesGetEval } from "../src/reducers.ts";

Deno.test("reducers agree with numpy's mean, average, std, median, min, max, sum on random data", async () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const arrays = [
    [1, 2, 3, 4],
    [5],
    Array.from({ length: 1001 }, () => rand() * 1e6 + 1e9),
    Array.from({ length: 500 }, () => (rand() - 0.5) * 1e-8),
    Array.from({ length: 64 }, () => Math.floor(rand() * 10)),
  ];
  const out = await python(
    `import json, sys, numpy as np
res = []
for a in json.loads(sys.argv[1]):
    a = np.array(a, dtype=np.float64)
    res.append({'mean': a.mean(), 'average': np.average(a), 'std': a.std(), 'median': float(np.median(a)),
                'min': a.min(), 'max': a.max(), 'sum': a.sum(), 'count': len(a)})
print(json.dumps(res))`,
    [JSON.stringify(arrays)],
  );
  const expected = JSON.parse(out) as Record<string, number>[];
  arrays.forEach((a, i) => {
    for (const [name, value] of Object.entries(expected[i])) {
      assertAlmostEquals(getReducer(name as "mean")(a), value, 1e-12);
    }
  });
});

Deno.test("reducers on empty input give NaN (count and sum 0); unknown names list the valid ones", () => {
  assertEquals(Number.isNaN(getReducer("mean")([])), true);
  assertEquals(Number.isNaN(getReducer("median")([])), true);
  assertEquals(getReducer("count")([]), 0);
  assertEquals(getReducer("sum")([]), 0);
  assertThrows(() => getReducer("np.average(a)" as "mean"), TypeError, "mean, average, std");
  assertThrows(() => getReducer("constructor" as "mean"), TypeError);
  assertEquals(getReducer((a) => a.length * 2)([1, 2]), 4);
});

Deno.test("removeDuplicatesGetEval() sorts unique x, reduces y per x, and drops missing pairs", () => {
  const scores = [0.5, 0.7, 0.5, null, 0.9, 0.7, NaN];
  const neurons = [100, 200, 300, 400, 500, 600, 700];
  assertEquals(removeDuplicatesGetEval(scores, neurons, "mean"), [[0.5, 0.7, 0.9], [
    200,
    400,
    500,
  ]]);
  assertEquals(removeDuplicatesGetEval(scores, neurons, "count"), [[0.5, 0.7, 0.9], [2, 2, 1]]);
  assertEquals(removeDuplicatesGetEval(["b", "a", "b"], [1, 2, 3], "sum"), [["a", "b"], [2, 4]]);
  assertThrows(() => removeDuplicatesGetEval([1], [1, 2]), TypeError, "same length");
});
