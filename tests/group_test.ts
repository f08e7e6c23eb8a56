import { assert, assertEquals, assertRejects, assertThrows } from "./_assert.ts";
import { python, withTempDir } from "./_helpers.ts";
import { StorageManagerGroup } from "../src/group/group.ts";
import { compareParamValues } from "../src/group/order.ts";
import { groupFolder } from "../src/layout.ts";
import { StorageManager } from "../src/run/storage_manager.ts";

/** Writes run folders the way PymoNNto does (configparser, np.save, pickle), as a Python user would. */
const PYMONNTO_WRITER = `
import configparser, os, pickle, sys, time
import numpy as np
group = os.path.join(sys.argv[1], 'StorageManager', 'Peer')
for i, folder in enumerate(['Peer', 'Peer_0', 'Peer_1']):
    path = os.path.join(group, folder)
    os.makedirs(path)
    c = configparser.ConfigParser()
    c['Parameters'] = {}
    c.set('Parameters', 'time', str(time.time()))
    c.set('Parameters', 'score', str([0.5, 0.25, 0.75][i]))
    c.set('Parameters', 'NumberOfNeurons', str([100, 2000, 5000][i]))
    c.set('Parameters', 'tag', ['alpha', 'beta', 'alpha'][i])
    c.set('Parameters', 'lst', str([1, 2, 3]))
    c.set('Parameters', 'note', '50percent done')
    c.set('Parameters', 'missing', str(None))
    with open(os.path.join(path, 'config.ini'), 'w') as f:
        c.write(f)
    np.save(os.path.join(path, 'w.npy'), np.arange(6, dtype=np.float32).reshape(2, 3) * i)
    if i != 1:
        with open(os.path.join(path, 'meta.obj'), 'wb') as f:
            pickle.dump({'i': i, 'name': folder}, f)
`;

async function makeRuns(dataFolder: string, name: string, rows: Record<string, unknown>[]) {
  const runs = [];
  for (const row of rows) {
    const sm = await StorageManager.create(name, { dataFolder });
    await sm.saveParamDict(row);
    runs.push(sm);
  }
  return runs;
}

Deno.test("StorageManagerGroup.load() reads folders written by PymoNNto (Peer, Peer_0, Peer_1)", async () => {
  await withTempDir(async (dir) => {
    await python(PYMONNTO_WRITER, [dir]);
    const smg = await StorageManagerGroup.load("Peer", { dataFolder: dir });
    assertEquals(smg.runs.map((sm) => sm.name), ["Peer", "Peer_0", "Peer_1"]);
    smg.sortBy("score");
    assertEquals(smg.getParamList("score"), [0.25, 0.5, 0.75]);
    assertEquals(smg.getParamList("numberofneurons"), [2000, 100, 5000]);
    assertEquals(smg.getParamList("lst"), [[1, 2, 3], [1, 2, 3], [1, 2, 3]]);
    assertEquals(smg.getParamList("note")[0], "50percent done");
    assertEquals(smg.getParamList("missing"), [null, null, null]);
    assertEquals(smg.query('tag=="alpha" && numberofneurons>1000').map((sm) => sm.name), [
      "Peer_1",
    ]);
    const arrays = await smg.getNpList("w");
    assertEquals(arrays.map((a) => a && Array.from(a.data as Float32Array)), [
      [0, 1, 2, 3, 4, 5],
      [0, 0, 0, 0, 0, 0],
      [0, 2, 4, 6, 8, 10],
    ]);
    // Sorted by score: Peer_0 (no meta.obj), Peer, Peer_1.
    assertEquals(await smg.getObjList("meta"), [null, { i: 0, name: "Peer" }, {
      i: 2,
      name: "Peer_1",
    }]);
    assertEquals(await smg.getObjList("meta", { removeNone: true }), [
      { i: 0, name: "Peer" },
      { i: 2, name: "Peer_1" },
    ]);
  });
});

Deno.test("StorageManagerGroup.load() skips temp files, non-run entries and folders still being created", async () => {
  await withTempDir(async (dir) => {
    await makeRuns(dir, "G", [{ score: 1 }, { score: 2 }]);
    const group = `${dir}/StorageManager/G`;
    await Deno.writeTextFile(`${group}/summary.csv`, "x\n");
    await Deno.mkdir(`${group}/G99`); // being created: no config.ini yet
    await Deno.mkdir(`${group}/.sweepstore-tmp-abc`);
    await Deno.writeTextFile(`${group}/G1/.sweepstore-tmp-xyz-config.ini`, "[Parameters]\nhalf");
    const smg = await StorageManagerGroup.load("G", { dataFolder: dir });
    assertEquals(smg.runs.map((sm) => sm.name), ["G1", "G2"]);
    assertEquals(smg.errors, []);
    assertEquals((await StorageManagerGroup.load("Nope", { dataFolder: dir })).length, 0);
  });
});

Deno.test("a corrupt config.ini is reported by name without stopping the load", async () => {
  await withTempDir(async (dir) => {
    await makeRuns(dir, "C", [{ score: 1 }, { score: 2 }, { score: 3 }]);
    await Deno.writeTextFile(
      `${dir}/StorageManager/C/C2/config.ini`,
      "garbage without a section\n",
    );
    const smg = await StorageManagerGroup.load("C", { dataFolder: dir });
    assertEquals(smg.runs.map((sm) => sm.name), ["C1", "C3"]);
    assertEquals(smg.errors.length, 1);
    assertEquals(smg.errors[0].path, `${dir}/StorageManager/C/C2/config.ini`);
  });
});

Deno.test("sortBy() is stable, puts runs without the param last in both directions and supports descending", async () => {
  await withTempDir(async (dir) => {
    await makeRuns(dir, "S", [{ score: 3, id: 1 }, { id: 2 }, { score: 1, id: 3 }, {
      score: 3,
      id: 4,
    }]);
    const smg = await StorageManagerGroup.load("S", { dataFolder: dir });
    // Issue 9: missing values go after every number both ways (PymoNNto's -inf put them first ascending).
    assertEquals(smg.sortBy("score").getParamList("id"), [3, 1, 4, 2]);
    assertEquals(smg.sortBy("score", { descending: true }).getParamList("id"), [1, 4, 3, 2]);
    assertEquals([...smg].length, 4, "the group is iterable");
  });
});

Deno.test("sortBy() over numbers only (NaN, -0, ±inf, ties) orders as compareParamValues does, stably", async () => {
  await withTempDir(async (dir) => {
    const scores = [3, NaN, -0, 0, Infinity, -Infinity, 3, 1e-300, -2.5, NaN, 0];
    await makeRuns(dir, "N", scores.map((score, id) => ({ score, id })));
    const smg = await StorageManagerGroup.load("N", { dataFolder: dir });
    const ids = smg.getParamList("id") as number[];
    const values = smg.getParamList("score");
    assert(
      values.every((v) => typeof v === "number"),
      "every score is a number (the typed-array path)",
    );
    for (const descending of [false, true]) {
      // the order of one object per run sorted by compareParamValues, ties by position
      const expected = values.map((v, i) => ({ v, i }))
        .sort((a, b) => compareParamValues(a.v, b.v, { descending }) || a.i - b.i)
        .map((k) => ids[k.i]);
      const fresh = await StorageManagerGroup.load("N", { dataFolder: dir });
      assertEquals(fresh.sortBy("score", { descending }).getParamList("id"), expected);
    }
  });
});

Deno.test("query() follows the current order, skips runs missing a key and points at syntax errors", async () => {
  await withTempDir(async (dir) => {
    await makeRuns(dir, "Q", [
      { n: 500, lr: 0.1, tag: "alpha", score: 0.2 },
      { n: 2000, lr: 0.01, tag: "beta", score: 0.9 },
      { n: 4000, lr: 0.001, tag: "alpha", score: 0.5 },
      { lr: 0.001, score: 0.1 },
    ]);
    const smg = await StorageManagerGroup.load("Q", { dataFolder: dir });
    smg.sortBy("score", { descending: true });
    const names = (q: string) => smg.query(q).map((sm) => sm.param("n"));
    assertEquals(names("n>1000"), [2000, 4000]);
    assertEquals(names("n>1000 && lr<=0.01"), [2000, 4000]);
    assertEquals(names('tag=="alpha"'), [4000, 500]);
    assertEquals(names('(tag=="beta" || n<1000) && !(lr>0.05)'), [2000]);
    const err = assertThrows(() => smg.query("n>"), SyntaxError);
    assert(err.message.includes("n>"), err.message);
  });
});

Deno.test("getParamList() and getMultiParamList() align rows and drop missing values and NaN with removeNone", async () => {
  await withTempDir(async (dir) => {
    await makeRuns(dir, "L", [
      { score: 0.5, n: 10, s: 1 },
      { score: 0.7, n: 20 },
      { score: NaN, n: 30, s: 3 },
      { score: 0.9, n: 40, s: 4 },
    ]);
    const smg = await StorageManagerGroup.load("L", { dataFolder: dir });
    assertEquals(smg.getParamList("s"), [1, null, 3, 4]);
    assertEquals(smg.getParamList("s", { removeNone: true }), [1, 3, 4]);
    assertEquals(smg.getMultiParamList(["score", "n", "s"], { removeNone: true }), [[0.5, 0.9], [
      10,
      40,
    ], [1, 4]]);
    const all = smg.getMultiParamList(["score", "s"]);
    assertEquals(all[1], [1, null, 3, 4]);
    assert(Number.isNaN(all[0][2]));
    assertEquals(smg.getAllParams(), ["time", "score", "n", "s"]);
  });
});

Deno.test("removeDuplicatesGetEval() aggregates duplicate x values like PymoNNto", async () => {
  await withTempDir(async (dir) => {
    await makeRuns(dir, "D", [
      { n: 100, score: 1 },
      { n: 200, score: 4 },
      { n: 100, score: 3 },
      { n: 200, score: 8 },
      { n: 50, score: 5 },
    ]);
    const smg = await StorageManagerGroup.load("D", { dataFolder: dir });
    const [n, score] = smg.getMultiParamList(["n", "score"]);
    assertEquals(smg.removeDuplicatesGetEval(n, score, "mean"), [[50, 100, 200], [5, 2, 6]]);
    assertEquals(smg.removeDuplicatesGetEval(n, score, "max"), [[50, 100, 200], [5, 3, 8]]);
    assertEquals(smg.removeDuplicatesGetEval(n, score, (a) => a.length), [[50, 100, 200], [
      1,
      2,
      2,
    ]]);
  });
});

Deno.test("every read mode loads the same runs in the same order", async () => {
  await withTempDir(async (dir) => {
    await makeRuns(dir, "M", Array.from({ length: 25 }, (_, i) => ({ i })));
    const names = async (readMode: "auto" | "concurrent" | "sequential") =>
      (await StorageManagerGroup.load("M", { dataFolder: dir, readMode, concurrency: 4 })).runs.map(
        (sm) => sm.name,
      );
    const expected = Array.from({ length: 25 }, (_, i) => `M${i + 1}`);
    assertEquals(await names("sequential"), expected, "natural order: M2 before M10");
    assertEquals(await names("concurrent"), expected);
    assertEquals(await names("auto"), expected);
  });
});

Deno.test("a string, NaN, boolean or missing score never ranks first, ascending or descending", async () => {
  await withTempDir(async (dir) => {
    const scores: unknown[] = [
      0.5,
      "failed",
      NaN,
      undefined,
      0.9,
      true,
      -1,
      "0",
      [1, 2],
      null,
      "zzz",
    ];
    await makeRuns(
      dir,
      "R",
      scores.map((score, id) => (score === undefined ? { id } : { id, score })),
    );
    const smg = await StorageManagerGroup.load("R", { dataFolder: dir });
    const ids = () => smg.getParamList("id");
    smg.sortBy("score");
    assertEquals(ids(), [6, 0, 4, 2, 5, 7, 1, 10, 8, 3, 9]);
    smg.sortBy("score", { descending: true });
    assertEquals(ids(), [4, 0, 6, 2, 5, 10, 1, 7, 8, 3, 9]);
    for (const descending of [false, true]) {
      const first = smg.sortBy("score", { descending }).getParamList("score")[0];
      assert(typeof first === "number" && !Number.isNaN(first), `first: ${String(first)}`);
    }
    // Only strings: they still sort among themselves, and a number beats them all.
    const strings = ["b", "a", "c"];
    await makeRuns(dir, "Str", strings.map((score) => ({ score })));
    const onlyStrings = await StorageManagerGroup.load("Str", { dataFolder: dir });
    assertEquals(onlyStrings.sortBy("score").getParamList("score"), ["a", "b", "c"]);
    assertEquals(onlyStrings.sortBy("score", { descending: true }).getParamList("score"), [
      "c",
      "b",
      "a",
    ]);
  });
});

/** A run folder written by Python's configparser with [DEFAULT] and %(name)s interpolation (PymoNNto users). */
const PYTHON_DEFAULTS_WRITER = `
import configparser, json, os, sys
group = os.path.join(sys.argv[1], 'StorageManager', 'Py')
out = []
for i, (seed, n) in enumerate([(42, 1), (7, 2)]):
    path = os.path.join(group, 'Py%d' % (i + 1))
    os.makedirs(path)
    c = configparser.ConfigParser()
    c['DEFAULT'] = {'seed': str(seed), 'base': '/data'}
    c['Parameters'] = {'n': str(n), 'path': '%(base)s/run' + str(n)}
    with open(os.path.join(path, 'config.ini'), 'w') as f:
        c.write(f)
    r = configparser.ConfigParser()
    r.read(os.path.join(path, 'config.ini'))
    out.append({'values': {k: r.get('Parameters', k) for k in ['seed', 'n', 'path', 'base']},
                'keys': list(r['Parameters'])})
print(json.dumps(out))
`;

Deno.test("a group of configparser files with [DEFAULT] and %(base)s reads as Python reads them", async () => {
  await withTempDir(async (dir) => {
    const python_ = JSON.parse(await python(PYTHON_DEFAULTS_WRITER, [dir]));
    assertEquals(python_[0].values, { seed: "42", n: "1", path: "/data/run1", base: "/data" });
    for (const readMode of ["sequential", "concurrent"] as const) {
      const smg = await StorageManagerGroup.load("Py", { dataFolder: dir, readMode });
      assertEquals(smg.errors, []);
      assertEquals(smg.getParamList("seed"), [42, 7], readMode);
      assertEquals(smg.getParamList("path"), ["/data/run1", "/data/run2"]);
      assertEquals(smg.getMultiParamList(["seed", "n"]), [[42, 7], [1, 2]]);
      assertEquals(smg.query("seed==42").map((sm) => sm.name), ["Py1"]);
      assertEquals(smg.query('path=="/data/run2" && seed<10').map((sm) => sm.name), ["Py2"]);
      assertEquals(smg.sortBy("seed").getParamList("n"), [2, 1]);
      assertEquals(smg.getAllParams(), python_[0].keys, "configparser's key order");
      assertEquals(smg.toTable(["seed", "path"]).rows[0], ["Py2", 7, "/data/run2"]);
    }
  });
});

Deno.test("the group's aggregation keeps NaN as numpy does and offers the nan… reducers", async () => {
  await withTempDir(async (dir) => {
    await makeRuns(dir, "N", [{ x: 1, y: NaN }, { x: 1, y: 2 }, { x: 2, y: 4 }, { x: 2, y: 6 }]);
    const smg = await StorageManagerGroup.load("N", { dataFolder: dir });
    const [x, y] = smg.getMultiParamList(["x", "y"]);
    const [ux, mean] = smg.removeDuplicatesGetEval(x, y, "mean");
    assertEquals(ux, [1, 2]);
    assert(Number.isNaN(mean[0]) && mean[1] === 5, `mean: ${mean}`);
    assertEquals(smg.removeDuplicatesGetEval(x, y, "count"), [[1, 2], [2, 2]]);
    assertEquals(smg.removeDuplicatesGetEval(x, y, "nanmean"), [[1, 2], [2, 5]]);
    const plain = smg.plot({ x: "x", y: "y", reducer: "mean" });
    assert(plain.includes("1 summary value not shown"), "the NaN mean is not drawn, and said so");
    const skipping = smg.plot({ x: "x", y: "y", reducer: "nanmean" });
    assert(skipping.includes("nanmean ± std") && !skipping.includes("summary value"), skipping);
    assertEquals((skipping.match(/class="errorbar"/g) ?? []).length, 2);
  });
});

Deno.test("load() finds the group where layout.ts says and refuses bad read options", async () => {
  await withTempDir(async (dir) => {
    await makeRuns(dir, "O", [{ a: 1 }]);
    const smg = await StorageManagerGroup.load("O", { dataFolder: dir });
    assertEquals(smg.path, groupFolder(dir, "O"));
    for (const concurrency of [0, -1, 1.5, NaN]) {
      await assertRejects(
        () => StorageManagerGroup.load("O", { dataFolder: dir, concurrency }),
        RangeError,
        "concurrency must be an integer ≥ 1",
      );
    }
    await assertRejects(
      () =>
        StorageManagerGroup.load("O", {
          dataFolder: dir,
          readMode: "fast" as unknown as "auto",
        }),
      RangeError,
      'readMode must be "auto", "concurrent" or "sequential", not "fast"',
    );
  });
});

Deno.test("load() reads back values that alternate, cycle and repeat late, as written", async () => {
  // the table keeps one string for a value recent rows of its column hold (RunTable's `#shared`): every
  // run must still read its own value, whatever the pattern
  await withTempDir(async (dir) => {
    const rows = Array.from({ length: 150 }, (_, i) => ({
      alternating: `slot-${i % 2}-owner-name`,
      cycling: `value-number-${i % 11}`, // more distinct values than are remembered
      late: i < 100 ? `unique-value-${i}` : `unique-value-${i - 100}`, // repeats after many new ones
      short: i % 3,
    }));
    await makeRuns(dir, "Alt", rows);
    const smg = await StorageManagerGroup.load("Alt", { dataFolder: dir, index: false });
    smg.sortBy("cycling"); // any order: compare as sets of rows
    const got = smg.getMultiParamList(["alternating", "cycling", "late", "short"]);
    const back = got[0].map((_, i) => JSON.stringify(got.map((c) => c[i])));
    const want = rows.map((r) => JSON.stringify([r.alternating, r.cycling, r.late, r.short]));
    assertEquals(back.sort(), want.sort());
  });
});
