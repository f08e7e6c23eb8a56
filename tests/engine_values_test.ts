// Values through a sweep (issue 9): what a run folder can store arrives and comes back with its type; the
// rest is refused with the key and the type; bad options are refused before anything starts.
import { assert, assertEquals, assertRejects, assertThrows } from "./_assert.ts";
import { python, withTempDir } from "./_helpers.ts";
import { checkSweepOptions, runSweep, type RunSweepOptions, sweepEvents } from "../runner/mod.ts";
import { StorageManager } from "../mod.ts";

const SIMS = new URL("./fixtures/sims/engine_sims.ts", import.meta.url);

Deno.test("NaN, ±Infinity and -0 reach the simulation, config.ini and the records as themselves", async () => {
  await withTempDir(async (dir) => {
    const result = await runSweep({
      name: "Nums",
      simulation: SIMS,
      grid: { mode: ["echo"], thr: [1, Infinity, -Infinity, NaN, -0] },
      dataFolder: `${dir}/Data`,
      concurrency: 1,
    });
    assertEquals(result.runs.map((r) => r.result!.got), [
      "1",
      "Infinity",
      "-Infinity",
      "NaN",
      "-0",
    ]);
    assert(Object.is(result.runs[4].params.thr, -0) && Number.isNaN(result.runs[3].params.thr));
    const texts = [];
    for (const r of result.runs) {
      texts.push(/thr = (.*)/.exec(await Deno.readTextFile(`${r.path}/config.ini`))![1]);
    }
    assertEquals(texts, ["1", "inf", "-inf", "nan", "-0.0"]);
    assertEquals(new Set(result.runs.map((r) => r.path)).size, 5, "five distinct points");
    // summary.json keeps them too, as Python's json module reads them (Python is the judge).
    const py = await python(
      "import json, math, sys\n" +
        "d = json.load(open(sys.argv[1]))\n" +
        "print(sorted(repr(r['params']['thr']) for r in d['runs']))",
      [result.summary!.files.json],
    );
    assertEquals(py.trim(), "['-0.0', '-inf', '1', 'inf', 'nan']");
  });
});

Deno.test("what simulate returns: stored with its type and the record agrees with the folder, or the run fails with reason result", async () => {
  await withTempDir(async (dir) => {
    const result = await runSweep({
      name: "Ret",
      simulation: SIMS,
      points: ["bigint", "date", "nan", "collide", "point"].map((what) => ({
        mode: "return",
        what,
      })),
      dataFolder: `${dir}/Data`,
      concurrency: 1,
      summary: false,
    });
    const [big, date, nan, collide, point] = result.runs;
    for (const r of result.runs) {
      const sm = await StorageManager.open(r.path);
      assertEquals(
        sm.param("status", { section: "Run" }),
        r.status,
        "the folder and the record agree",
      );
    }
    assertEquals(big.status, "done");
    assertEquals(big.result!.score, (await StorageManager.open(big.path)).param("score"));
    assertEquals([date.status, date.reason], ["failed", "result"]);
    assert(date.error!.includes('"when"') && date.error!.includes("Date"), date.error);
    assertEquals(nan.status, "done");
    assert(Number.isNaN(nan.result!.score) && Object.is(nan.result!.neg, -0));
    assertEquals([collide.status, collide.reason], ["failed", "result"]);
    assert(collide.error!.includes('"Score"') && collide.error!.includes('"score"'), collide.error);
    // A result key equal to a key of the point (case folded) would overwrite the swept value.
    assertEquals([point.status, point.reason], ["failed", "result"]);
    assert(point.error!.includes('"WHAT"') && point.error!.includes('"what"'), point.error);
    assertEquals((await StorageManager.open(point.path)).param("what"), "point");
  });
});

Deno.test("bad sweep options are refused before any folder or process exists, naming the option", async () => {
  await withTempDir(async (dir) => {
    const base: RunSweepOptions = {
      name: "Bad",
      simulation: SIMS,
      grid: { n: [1] },
      dataFolder: `${dir}/Data`,
    };
    const cases: [Partial<RunSweepOptions>, typeof TypeError | typeof RangeError, string][] = [
      [{ concurrency: 0 }, RangeError, "concurrency"],
      [{ concurrency: -1 }, RangeError, "concurrency"],
      [{ concurrency: NaN }, RangeError, "concurrency"],
      [{ timeoutMs: -5 }, RangeError, "timeoutMs"],
      [{ timeoutMs: NaN }, RangeError, "timeoutMs"],
      [{ retries: -1 }, RangeError, "retries"],
      [{ repeats: 0 }, RangeError, "repeats"],
      [{ graceMs: -1 }, RangeError, "graceMs"],
      [{ grid: { "a=b": [1] } }, TypeError, '"a=b"'],
      [{ grid: { Score: [1], score: [2] } }, TypeError, '"Score" and "score"'],
      [{ grid: undefined, points: [{ Lr: 1, lr: 2 }] }, TypeError, "points[0]"],
      [{ grid: undefined, random: { x: { min: 5, max: 1 } } }, RangeError, "random.x"],
      [{ grid: { when: [new Date() as never] } }, TypeError, "Date"],
      [{ grid: { m: [new Map() as never] } }, TypeError, "Map"],
      [{ backend: "cloud" as "local" }, TypeError, "backend"],
    ];
    for (const [patch, kind, text] of cases) {
      const options = { ...base, ...patch };
      assertThrows(() => checkSweepOptions(options), kind, text);
      await assertRejects(() => runSweep(options), kind, text);
    }
    await assertRejects(() => Deno.stat(`${dir}/Data`), Deno.errors.NotFound); // nothing was created
  });
});

Deno.test("sweepEvents() yields planned, started/ended per run and finished, then returns the result", async () => {
  await withTempDir(async (dir) => {
    const events = sweepEvents({
      name: "Ev",
      simulation: SIMS,
      points: [{ mode: "sleep", ms: 1 }, { mode: "return", what: "date" }],
      concurrency: 1,
      dataFolder: `${dir}/Data`,
      summary: false,
    });
    const types: string[] = [];
    let next = await events.next();
    while (!next.done) {
      types.push(next.value.type);
      next = await events.next();
    }
    assertEquals(types, ["planned", "started", "ended", "started", "ended", "finished"]);
    assertEquals(next.value.runs.map((r) => r.status), ["done", "failed"]);
  });
});

Deno.test("leaving a sweepEvents() loop early does not stop the sweep: its runs still finish", async () => {
  await withTempDir(async (dir) => {
    let finished: () => void = () => {};
    const done = new Promise<void>((r) => (finished = r));
    const seen: string[] = [];
    const events = sweepEvents({
      name: "EvBreak",
      simulation: SIMS,
      points: [1, 2, 3].map((ms) => ({ mode: "sleep", ms })),
      concurrency: 1,
      dataFolder: `${dir}/Data`,
      summary: false,
      onEvent: (e) => e.type === "finished" && finished(),
    });
    for await (const e of events) {
      seen.push(e.type);
      if (e.type === "started") break;
    }
    assertEquals(seen, ["planned", "started"]);
    await done; // onEvent still hears the rest; the loop's queue does not keep it
    const group = `${dir}/Data/StorageManager/EvBreak`;
    const runs = (await Array.fromAsync(Deno.readDir(group))).filter((e) =>
      e.isDirectory && !e.name.startsWith(".")
    );
    assertEquals(runs.length, 3);
    for (const r of runs) {
      const sm = await StorageManager.open(`${group}/${r.name}`);
      assertEquals(sm.param("status", { section: "Run" }), "done");
    }
  });
});
