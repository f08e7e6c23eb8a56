/**
 * aggregate() and aggregateNp() against numpy and scipy on the same run folders: the real /usr/bin/python3
 * reads the folders with python/sweepstore_reader/ (load_group, load_np) and computes each point's
 * statistics with np.mean, np.std(ddof=1), scipy.stats.sem, scipy.stats.t.interval, np.nan… (NaN omitted)
 * and element-wise over the saved arrays. Needs python3-numpy and python3-scipy (Debian; `.ci/run` installs
 * them).
 */
import { assert, assertEquals } from "./_assert.ts";
import { pyFloat, withTempDir } from "./_helpers.ts";
import { random } from "./_params_cases.ts";
import { StorageManagerGroup } from "../src/group/group.ts";
import { groupFolder } from "../src/layout.ts";
import { StorageManager } from "../src/run/storage_manager.ts";

const SYSTEM_PYTHON = "/usr/bin/python3";
const READER_DIR = new URL("../python/", import.meta.url).pathname;

async function python(script: string): Promise<unknown> {
  const out = await new Deno.Command(SYSTEM_PYTHON, {
    args: ["-c", script],
    env: { PYTHONPATH: READER_DIR, PYTHONDONTWRITEBYTECODE: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  assertEquals(
    out.code,
    0,
    text.decode(out.stderr) + "\n(apt-get install python3-numpy python3-scipy)",
  );
  return JSON.parse(text.decode(out.stdout));
}

/** Per point (a, b), numpy/scipy's statistics of `score`, as Python float reprs; then the traces'. */
const NUMPY_STATS = `
import json, sys
import numpy as np
from scipy import stats
from sweepstore_reader import load_group, load_np

runs = load_group(sys.argv[1], as_frame=False)
points = {}
for r in runs:
    points.setdefault((r["a"], r["b"]), []).append(r)

def described(values, omit):
    x = np.array(values, dtype=np.float64)
    if omit:
        x = x[~np.isnan(x)]
    n = len(x)
    out = {"count": n, "mean": np.mean(x), "min": np.min(x), "max": np.max(x)}
    if n >= 2:
        sem = stats.sem(x)  # ddof=1
        low, high = stats.t.interval(0.95, n - 1, loc=np.mean(x), scale=sem)
        out.update(std=np.std(x, ddof=1), sem=sem, ci_low=low, ci_high=high)
    return {k: repr(float(v)) if k != "count" else v for k, v in out.items()}

result = []
for (a, b), rs in sorted(points.items()):
    scores = [r["score"] for r in rs if "score" in r]
    traces = np.stack([load_np(r["path"] + "/trace.npy").astype(np.float64) for r in rs])
    with np.errstate(all="ignore"):
        trace = {"mean": np.mean(traces, axis=0), "std": np.std(traces, axis=0, ddof=1),
                 "nanmean": np.nanmean(traces, axis=0), "nanstd": np.nanstd(traces, axis=0, ddof=1)}
    result.append({"a": a, "b": b, "runs": len(rs), "propagate": described(scores, False),
                   "omit": described(scores, True),
                   "trace": {k: [repr(float(v)) for v in x.ravel()] for k, x in trace.items()},
                   "shape": list(traces.shape[1:])})
print(json.dumps(result))
`;

/** |got − want| ≤ tolerance · scale + 4 ulp of want (rounding of the last operation), NaN where numpy's. */
function close(got: number, want: number, scale: number, tolerance: number, what: string): void {
  if (Number.isNaN(want)) return assert(Number.isNaN(got), `${what}: ${got}, numpy NaN`);
  const margin = tolerance * scale + 4 * Number.EPSILON * Math.abs(want);
  assert(Math.abs(got - want) <= margin, `${what}: ${got}, numpy ${want}`);
}

Deno.test("aggregate() and aggregateNp() agree with numpy and scipy on the same run folders", async () => {
  await withTempDir(async (dataFolder) => {
    const rand = random(2024);
    // 3 × 2 points with 1, 2, 3, 5, 12 and 30 repeats; scores near 1e6 (cancellation) with NaN and gaps
    const repeats = [1, 2, 3, 5, 12, 30];
    let k = 0;
    for (const a of [1, 2, 3]) {
      for (const b of ["x", "y"]) {
        const n = repeats[k++];
        for (let r = 0; r < n; r++) {
          const params: Record<string, number | string> = { a, b };
          const u = rand();
          if (u > 0.05) {
            params.score = u < 0.1 && n > 2 ? NaN : 1e6 + a + (rand() - 0.5) * 10 ** (-a);
          }
          const sm = await StorageManager.create("Np", {
            dataFolder,
            params: { Parameters: params },
          });
          const trace = new Float32Array(6).map(() => rand() < 0.05 ? NaN : (rand() - 0.5) * 100);
          await sm.saveNp("trace", { data: trace, shape: [2, 3] });
        }
      }
    }
    const smg = await StorageManagerGroup.load("Np", { dataFolder });
    const propagate = smg.aggregate({ by: ["a", "b"], values: ["score"] });
    const omit = smg.aggregate({ by: ["a", "b"], values: ["score"], nan: "omit" });
    const traces = await smg.aggregateNp("trace", { by: ["a", "b"] });
    const tracesOmit = await smg.aggregateNp("trace", { by: ["a", "b"], nan: "omit" });
    const want = await python(
      NUMPY_STATS.replace("sys.argv[1]", JSON.stringify(groupFolder(dataFolder, "Np"))),
    ) as {
      a: number;
      b: string;
      runs: number;
      propagate: Record<string, string | number>;
      omit: Record<string, string | number>;
      trace: Record<string, string[]>;
      shape: number[];
    }[];
    assertEquals(
      want.map((p) => [p.a, p.b, p.runs]),
      propagate.rows.map((r) => [r.key.a, r.key.b, r.runs]),
    );
    let nanPoints = 0, checked = 0;
    for (const [i, p] of want.entries()) {
      for (const [name, agg] of [["propagate", propagate], ["omit", omit]] as const) {
        const got = agg.rows[i].values.score;
        const w = p[name];
        const what = `${name} a=${p.a} b=${p.b}`;
        assertEquals(got.count, w.count, what);
        const scale = Math.abs(pyFloat(w.mean as string));
        for (const stat of ["mean", "min", "max"] as const) {
          close(got[stat], pyFloat(w[stat] as string), scale, 1e-15, `${what} ${stat}`);
        }
        if (got.count < 2) {
          assert([got.std, got.sem, ...got.ci].every(Number.isNaN), `${what}: no spread for n < 2`);
          continue;
        }
        const std = pyFloat(w.std as string);
        if (Number.isNaN(std)) nanPoints++;
        close(got.std, std, Math.abs(std), 1e-9, `${what} std`); // numpy's one-pass error at 1e6 ± 1e-3
        close(got.sem, pyFloat(w.sem as string), got.sem, 1e-9, `${what} sem`);
        // scipy's t.ppf is itself off by up to 2.5e-11 relative (see aggregate_test.ts)
        close(got.ci[0], pyFloat(w.ci_low as string), got.sem, 1e-9, `${what} ci low`);
        close(got.ci[1], pyFloat(w.ci_high as string), got.sem, 1e-9, `${what} ci high`);
        checked++;
      }
      for (const [name, rows] of [["", traces], ["nan", tracesOmit]] as const) {
        const row = rows[i];
        assertEquals(row.shape, p.shape);
        for (const stat of ["mean", "std"] as const) {
          const ref = p.trace[`${name}${stat}`].map(pyFloat);
          ref.forEach((v, e) =>
            close(row[stat].data[e], v, 100, 1e-13, `${name}${stat}[${e}] of ${i}`)
          );
        }
      }
    }
    assert(
      nanPoints > 0 && checked > 6,
      `the data must hold NaN points (${nanPoints}) and spreads (${checked})`,
    );
  });
});
