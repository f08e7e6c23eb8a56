/**
 * python/sweepstore_reader/'s load_group, run by the real /usr/bin/python3, on groups sweepstore and
 * PymoNNto wrote: every value typed as the TypeScript side reads it, hand-written values, pandas frames.
 */
import { assert, assertEquals } from "./_assert.ts";
import { run, withTempDir } from "./_helpers.ts";
import { StorageManager } from "../src/run/storage_manager.ts";
import { StorageManagerGroup } from "../src/group/group.ts";
import { groupFolder } from "../src/layout.ts";
import { randomValues, same, SCALARS, show } from "./_params_cases.ts";
import { DESCRIBE, f, i, python, s, SYSTEM_PYTHON, typedAs } from "./_python_reader.ts";

Deno.test("load_group types every value of a sweepstore group as the TypeScript side reads it", async () => {
  await withTempDir(async (dir) => {
    const values = [...SCALARS, ...randomValues(13, 300)];
    const a = await StorageManager.create("G", { dataFolder: dir });
    await a.saveParamDict(Object.fromEntries(values.map((v, k) => [`v${k}`, v])));
    await StorageManager.create("G", {
      dataFolder: dir,
      params: { Parameters: { run: "a param named run", n: 2 }, Run: { status: "done", seed: 7 } },
    });
    const group = groupFolder(dir, "G");
    await Deno.mkdir(`${group}/.sweepstore`); // hidden: not a run
    await Deno.mkdir(`${group}/G99`); // no config.ini: not a run
    await Deno.mkdir(`${group}/G100`);
    await Deno.writeTextFile(`${group}/G100/config.ini`, "[Parameters]\na = 1\n[Parameters]\n");
    const smg = await StorageManagerGroup.load("G", { dataFolder: dir });
    assertEquals(smg.errors.map((e) => e.path), [`${group}/G100/config.ini`]);
    const got = await python(
      DESCRIBE + `
import warnings
from sweepstore_reader import load_group
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    runs = load_group("${group}", as_frame=False)
print(json.dumps({"runs": [{k: d(v) for k, v in r.items()} for r in runs],
                  "warnings": [str(w.message) for w in caught]}))`,
      dir,
    ) as { runs: Record<string, Record<string, unknown>>[]; warnings: string[] };
    assertEquals(got.runs.map((r) => r.run.str), smg.runs.map((sm) => sm.name));
    assertEquals(got.runs.map((r) => r.path.str), smg.runs.map((sm) => sm.path));
    assertEquals(got.warnings.length, 1);
    assert(got.warnings[0].startsWith(`skipped ${group}/G100/config.ini`), got.warnings[0]);
    const [first, second] = got.runs;
    const ts = await smg.runs[0].loadParams();
    const wrong = values.map((v, k) => [k, v] as const).filter(([k, v]) =>
      !typedAs(first[`v${k}`], v) || !typedAs(first[`v${k}`], ts[`v${k}`])
    );
    assertEquals(wrong.map(([k, v]) => [show(v), first[`v${k}`]]), []);
    assertEquals(Object.keys(first).length, values.length + 3); // run, path, time
    assertEquals(second["Parameters.run"], s("a param named run"));
    assertEquals(second.n, i(2));
    assertEquals(second["Run.status"], s("done"));
    assertEquals(second["Run.seed"], i(7));
  });
});

Deno.test("load_group reads hand-written values, [DEFAULT], interpolation and a lone % as sweepstore does", async () => {
  await withTempDir(async (dir) => {
    const run = `${groupFolder(dir, "H")}/H1`;
    await Deno.mkdir(run, { recursive: true });
    const lines: [string, unknown][] = [
      ["numpy = [1.5 2.5]", [1.5, 2.5]],
      ["matrix = [[1 2]\n\t [3 4]]", [[1, 2], [3, 4]]],
      ["tuple = (1, 'a')", [1, "a"]],
      ["one = (5)", 5],
      ["keys = {1: 'a', 2.0: 'b', 1e-05: 'c', True: 'd', None: 'e'}", {
        "1": "a",
        "2": "b",
        "0.00001": "c",
        True: "d",
        None: "e",
      }],
      ["nested = [nan, inf, -inf, 0x1f]", [NaN, Infinity, -Infinity, 31]],
      ["setlike = {1, 2}", "{1, 2}"],
      ["exp = 1e5", 100000.5 - 0.5],
      ["under = 1_000", 1000],
      ["arabic = ٣", 3],
      ["lone = 50% done", "50% done"],
      ["ref = %(base)s/x", "/data/x"],
      ["missingref = %(nope)s", "%(nope)s"],
      ["escaped = 100%%", "100%"],
      ["bad = [1, 2", "[1, 2"],
      ["str = 'a\\tb\\x41\\u00e9'", "a\tbAé"],
    ];
    await Deno.writeTextFile(
      `${run}/config.ini`,
      `[DEFAULT]\nbase = /data\n\n[Parameters]\n${lines.map(([l]) => l).join("\n")}\n`,
    );
    const sm = (await StorageManagerGroup.load("H", { dataFolder: dir })).runs[0];
    const got = await python(
      DESCRIBE + `
from sweepstore_reader import load_group
print(json.dumps({k: d(v) for k, v in load_group("${
        groupFolder(dir, "H")
      }", as_frame=False)[0].items()}))`,
      dir,
    ) as Record<string, Record<string, unknown>>;
    for (const [line, expected] of lines) {
      const key = line.split(" = ")[0];
      const value = key === "exp" ? 1e5 : expected;
      assert(same(sm.param(key), value), `TypeScript reads ${line} as ${show(sm.param(key))}`);
      if (key === "exp") assertEquals(got.exp, f("100000.0"), "float() of 1e5: a float");
      else assert(typedAs(got[key], value), `${line}: Python gives ${JSON.stringify(got[key])}`);
    }
    assertEquals(got.base, s("/data"), "[DEFAULT] keys show in every section");
  });
});

/** A PymoNNto-style writer: configparser and str() of the values, as PymoNNto's save_param does. */
const PYMONNTO_GROUP_WRITER = `
import configparser, os, sys, time
import numpy as np
group = os.path.join(sys.argv[1], 'StorageManager', 'Pm')
for i, folder in enumerate(['Pm', 'Pm_0', 'Pm_1', 'Pm_10', 'Pm_2']):
    path = os.path.join(group, folder)
    os.makedirs(path)
    c = configparser.ConfigParser()
    c['Parameters'] = {}
    values = {'time': time.time(), 'NumberOfNeurons': 100 * (i + 1), 'score': i / 4, 'tag': 'alpha',
              'arr': np.array([0.5, 1.5 * i]), 'lst': [1, 'a', None], 'd': {'x': i}, 'on': i % 2 == 0,
              'none': None, 'note': '50percent done', 'tiny': 1e-07, 'big': 2 ** 70}
    for k, v in values.items():
        c.set('Parameters', k, str(v))
    with open(os.path.join(path, 'config.ini'), 'w') as f:
        c.write(f)
`;

Deno.test("load_group reads PymoNNto's folders (Pm, Pm_0, …) with the values sweepstore reads, and pandas gets a frame", async () => {
  await withTempDir(async (dir) => {
    const write = await run(SYSTEM_PYTHON, ["-c", PYMONNTO_GROUP_WRITER, dir]);
    assertEquals(write.code, 0, write.stderr);
    const smg = await StorageManagerGroup.load("Pm", { dataFolder: dir });
    const got = await python(
      DESCRIBE + `
import pandas as pd
from sweepstore_reader import load_group
runs = load_group("${groupFolder(dir, "Pm")}", as_frame=False)
frame = load_group("${groupFolder(dir, "Pm")}")
print(json.dumps({"runs": [{k: d(v) for k, v in r.items()} for r in runs],
                  "frame": [type(frame).__name__, list(frame.shape), list(frame.columns),
                            str(frame["numberofneurons"].dtype), frame["score"].tolist()]}))`,
      dir,
    ) as { runs: Record<string, Record<string, unknown>>[]; frame: unknown[] };
    assertEquals(got.runs.map((r) => r.run.str), ["Pm", "Pm_0", "Pm_1", "Pm_2", "Pm_10"]);
    assertEquals(smg.runs.map((sm) => sm.name), ["Pm", "Pm_0", "Pm_1", "Pm_2", "Pm_10"]);
    for (const [k, sm] of smg.runs.entries()) {
      const ts = await sm.loadParams();
      for (const [key, value] of Object.entries(ts)) {
        assert(
          typedAs(got.runs[k][key], value, false),
          `${sm.name} ${key}: ${JSON.stringify(got.runs[k][key])}`,
        );
      }
      assertEquals(Object.keys(got.runs[k]).length, Object.keys(ts).length + 2);
    }
    assertEquals(got.runs[1].arr, { list: [f("0.5"), f("1.5")] }, "numpy's str() of an array");
    assertEquals(got.runs[0].none, { None: true });
    assertEquals(got.runs[0].big, i(2n ** 70n));
    const columns = [
      "run",
      "path",
      "time",
      "numberofneurons",
      "score",
      "tag",
      "arr",
      "lst",
      "d",
      "on",
    ];
    assertEquals(got.frame.slice(0, 2), ["DataFrame", [5, 14]]);
    assertEquals((got.frame[2] as string[]).slice(0, columns.length), columns);
    assertEquals(got.frame.slice(3), ["int64", [0, 0.25, 0.5, 1, 0.75]]);
  });
});

Deno.test("without cbor2 the reader still loads groups, parameters, arrays and objects", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("N", {
      dataFolder: dir,
      params: { Parameters: { n: 1 } },
    });
    await sm.saveNp("w", [1, 2]);
    await sm.saveObj("o", { a: 1, s: new Set(["x"]), m: new Map([[2, [3]]]) });
    await Deno.writeFile(`${sm.path}/bad.cbor`, new Uint8Array([0x82, 0x01])); // an array missing an item
    const got = await python(
      `
import sys, json
sys.modules["cbor2"] = None  # as if cbor2 were not installed
import sweepstore_reader
from sweepstore_reader import load_group, load_np, load_obj
assert sweepstore_reader.cbor2 is None
runs = load_group("${groupFolder(dir, "N")}", as_frame=False)
o = load_obj("${sm.path}/o.cbor")
try:
    load_obj("${sm.path}/bad.cbor")
    err = None
except ValueError as e:
    err = str(e)
print(json.dumps({"n": runs[0]["n"], "w": load_np("${sm.path}/w.npy").tolist(),
                  "o": [o["a"], sorted(o["s"]), type(o["s"]).__name__, o["m"]], "err": err}))`,
      dir,
    ) as { n: number; w: number[]; o: unknown[]; err: string };
    assertEquals([got.n, got.w, got.o], [1, [1, 2], [1, ["x"], "set", { "2": [3] }]]);
    assertEquals(got.err, "truncated CBOR data");
  });
});
