/**
 * The compact run records of a finished sweep (`runner/_record_store.ts`): every record comes back equal to
 * the original (keys in the same order, the same values: NaN, -0, params and results of any kind), whatever
 * it holds; and `runSweep`'s `result.runs`, made from them, equals the records its `ended` events carried.
 */
import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { RecordStore, withRecords } from "../runner/_record_store.ts";
import { assertSame } from "./_records.ts";
import { expandSweep, LocalPool, type RunRecord, runSweep } from "../runner/mod.ts";

const SIM = new URL("./fixtures/sims/repeat_sim.ts", import.meta.url);

Deno.test("a record store gives back every record as it was, odd ones included", () => {
  const base = "/data/Data/StorageManager/Sw";
  const records = [
    {
      index: 0,
      params: { n: 1 },
      repeat: 0,
      path: `${base}/Sw1`,
      status: "done",
      durationMs: 12.5,
      attempts: 1,
      seed: 4294967295,
      result: { score: 0.5 },
    },
    { // a failure: keys with undefined values stay keys
      index: 1,
      params: { n: 2 },
      repeat: 1,
      path: `${base}/Sw0`,
      status: "failed",
      reason: "exit",
      error: "exited with 3",
      exitCode: 3,
      signal: undefined,
      durationMs: -0,
      attempts: 2,
      seed: 0,
    },
    // no folder, a folder number with a leading zero, one of 10 digits, other key orders
    {
      index: 2,
      params: {},
      repeat: 0,
      path: "",
      status: "failed",
      durationMs: NaN,
      attempts: 1,
      seed: 1,
    },
    {
      path: `${base}/Sw007`,
      index: 3,
      params: {},
      repeat: 0,
      status: "timeout",
      durationMs: 1,
      attempts: 1,
      seed: 2,
    },
    {
      index: 4,
      params: {},
      repeat: 0,
      path: `${base}/Sw1234567890`,
      status: "done",
      durationMs: 1,
      attempts: 1,
      seed: 3,
    },
    {
      index: 5,
      params: {},
      repeat: 0,
      path: "/elsewhere/Other12",
      status: "interrupted",
      durationMs: 1,
      attempts: 1,
      seed: 3,
    },
    // params and results of every kind: numbers (NaN, -0, integer-like keys), other values (by reference)
    {
      index: 8,
      params: { b: NaN, a: -0, 2: 1, 1: 2 },
      repeat: 0,
      path: `${base}/Sw8`,
      status: "done",
      durationMs: 1,
      attempts: 1,
      seed: 3,
      result: { score: Infinity },
    },
    {
      index: 9,
      params: { n: "text", m: [1] },
      repeat: 0,
      path: `${base}/Sw9`,
      status: "done",
      durationMs: 1,
      attempts: 1,
      seed: 3,
      result: { big: 2n ** 70n },
    },
    {
      index: 10,
      params: JSON.parse('{"__proto__": 1}'),
      repeat: 0,
      path: `${base}/Sw10`,
      status: "done",
      durationMs: 1,
      attempts: 1,
      seed: 3,
      result: Object.assign(Object.create(null), { x: 1 }),
    },
    {
      index: 11,
      params: {},
      repeat: 0,
      path: `${base}/Sw11`,
      status: "done",
      durationMs: 1,
      attempts: 1,
      seed: 3,
      result: undefined,
    },
    // not a record's field, and a number that is none: kept whole
    {
      index: 6,
      params: {},
      repeat: 0,
      path: `${base}/Sw6`,
      status: "done",
      durationMs: 1,
      attempts: 1,
      seed: 3,
      extra: 1,
    },
    {
      index: "7",
      params: {},
      repeat: 0,
      path: `${base}/Sw7`,
      status: "done",
      durationMs: 1,
      attempts: 1,
      seed: 3,
    },
  ] as unknown as RunRecord[];
  const store = new RecordStore(records);
  assertEquals(store.length, records.length);
  const back = store.records();
  records.forEach((r, i) => assertSame(back[i], r));
  records.forEach((r, i) => assertSame(store.record(i), r));
  const at = (index: number) => records.findIndex((r) => r.index === index);
  for (const i of [at(9), at(10)]) {
    assert(
      back[i].params === records[i].params,
      "params that are not all numbers: the same object",
    );
    assert(
      back[i].result === records[i].result,
      "a result that is not a plain object of numbers: the same",
    );
  }
  assert(
    Object.getPrototypeOf(back[10].params) === Object.prototype && "__proto__" in back[10].params,
  );
  assertEquals(new RecordStore([]).records(), []);
});

Deno.test("a record store keeps more statuses and folders than its codes hold", () => {
  const records = Array.from({ length: 600 }, (_, i) => ({
    index: i,
    params: { i },
    repeat: 0,
    path: `/d${i}/Run${i + 1}`, // 600 prefixes: past 255 the records are kept whole
    status: `status${i % 300}`,
    durationMs: i / 3,
    attempts: 1,
    seed: i,
  })) as unknown as RunRecord[];
  const back = new RecordStore(records).records();
  records.forEach((r, i) => assertSame(back[i], r));
});

Deno.test("runSweep's result.runs equals the records of its ended events, in sweep order", async () => {
  await withTempDir(async (dir) => {
    const ended: RunRecord[] = [];
    const result = await runSweep({
      name: "Rs",
      simulation: SIM,
      grid: { n: [1, 2, 3] },
      repeats: 2,
      dataFolder: `${dir}/Data`,
      summary: false,
      onEvent: (e) => void (e.type === "ended" && ended.push(e.record)),
    });
    ended.sort((a, b) => a.index - b.index);
    assertEquals(result.runs.length, 6);
    result.runs.forEach((r, i) => assertSame(r, ended[i]));
    assert(result.runs === result.runs, "made once, then kept");
    assertEquals(JSON.parse(JSON.stringify(result)).runs.length, 6, "runs is an enumerable field");
    result.runs = [];
    assertEquals(result.runs, [], "and can be replaced, as a plain field");
  });
});

Deno.test("a record store filled as runs end (any order, holes, a record replaced) gives them back in order", () => {
  const base = "/data/Data/StorageManager/Sw";
  const done = (index: number): RunRecord => ({
    index,
    params: { k: index, x: 0.5 },
    repeat: 0,
    path: `${base}/Sw${index + 1}`,
    status: "done",
    durationMs: index / 3,
    attempts: 1,
    seed: 4294967295 - index, // past int32: kept as a double
    result: { score: index * 1.5, n: -0 },
  });
  const failed: RunRecord = {
    index: 2,
    params: { k: 2, x: 0.5 },
    repeat: 0,
    path: `${base}/Sw3`,
    status: "failed",
    reason: "exit",
    error: "exited with 3",
    exitCode: 3,
    durationMs: 2,
    attempts: 2,
    seed: 7,
  };
  const store = new RecordStore([], 10);
  assertEquals(store.records(), []);
  for (const i of [7, 2, 9, 0, 5]) store.set(i, done(i));
  store.set(2, failed); // replaced: counted once, its own fields only
  store.set(5, { ...done(5), params: { k: "five" } } as unknown as RunRecord);
  assertEquals(store.length, 5);
  const expected = [done(0), failed, { ...done(5), params: { k: "five" } }, done(7), done(9)];
  const back = store.records();
  assertEquals(back.length, 5);
  back.forEach((r, i) => assertSame(r, expected[i] as RunRecord));
  store.set(2, done(2)); // and back: no failure field of the record it replaced is left
  assertSame(store.record(2), done(2));
  for (const i of [10, -1, 1.5]) assertThrows(() => store.set(i, done(0)), RangeError);
  assertThrows(() => new RecordStore([done(0)], 0), RangeError);
});

Deno.test("a pool with keepRecords: false resolves with no records; its end events carry each one", async () => {
  await withTempDir(async (dir) => {
    const tasks = expandSweep({ grid: { n: [1, 2] }, repeats: 2 });
    const ended: RunRecord[] = [];
    const pool = (keepRecords?: boolean) =>
      new LocalPool(
        { simulation: SIM.href, name: "Keep", dataFolder: `${dir}/Data`, sweepId: "s1" },
        {
          concurrency: 2,
          keepRecords,
          onEvent: (e) => void (keepRecords === false && e.type === "end" && ended.push(e.record)),
        },
      );
    assertEquals(await pool(false).run(tasks), []);
    assertEquals(ended.map((r) => r.index).sort(), [0, 1, 2, 3]);
    const kept = await pool().run(tasks);
    assertEquals(kept.map((r) => r.index), [0, 1, 2, 3], "by default every record, by task index");
  });
});

Deno.test("printing a sweep's result shows its runs (not [Getter/Setter]), in Deno's console and Node's inspect", async () => {
  const { inspect } = await import("node:util");
  const records = [{ ...expandSweep({ points: [{ k: 1 }] })[0], status: "done" }] as unknown[];
  const store = new RecordStore(records.map((t) => ({
    ...(t as RunRecord),
    path: "/d/R1",
    durationMs: 1,
    attempts: 1,
    result: { score: 0.5 },
  })));
  const result = withRecords({ id: "x" }, store);
  for (const text of [Deno.inspect(result, { depth: 4 }), inspect(result, { depth: 4 })]) {
    assert(!text.includes("Getter"), text);
    assert(text.includes("runs: [") && text.includes("score: 0.5"), text);
  }
  assertEquals(JSON.parse(JSON.stringify(result)).runs[0].result, { score: 0.5 });
  assertEquals(Object.keys(result), ["id", "runs"]);
});

Deno.test("a record store tells key lists apart that join to the same text ({} and { '': 1 }, ['a\\0b'] and ['a', 'b'])", () => {
  // Each key list was found again by its keys joined with "\0": [] and [""] both gave "", ["a\0b"] and
  // ["a", "b"] both "a\0b", so the second object came back with the first one's keys ({ "": 1 } as {}).
  const base = "/data/Data/StorageManager/Sw";
  const objects: Record<string, number>[] = [
    {},
    { "": 1 },
    { a: 2, b: 3 },
    { "a\u0000b": 4 },
    { "": 5 }, // neither list the last one added: looked up by its signature
    { a: 6, b: 7 },
  ];
  const records = objects.map((o, index): RunRecord => ({
    index,
    params: o,
    repeat: 0,
    path: `${base}/Sw${index + 1}`,
    status: "done",
    durationMs: 1,
    attempts: 1,
    seed: 1,
    result: { ...o },
  }));
  const back = new RecordStore(records).records();
  records.forEach((r, i) => assertSame(back[i], r));
});

Deno.test("result.runs equals the ended events' records for odd sweeps: retries, odd results and params, resume", async () => {
  const sim = new URL("./fixtures/sims/odd_results.ts", import.meta.url);
  const modes = ["numbers", "mixed", "bigint", "proto", "intkeys", "none", "flaky", "throw"];
  await withTempDir(async (dir) => {
    const sweep = async (extra: Partial<Parameters<typeof runSweep>[0]>) => {
      const ended: RunRecord[] = [];
      const result = await runSweep({
        name: "Odd",
        simulation: sim,
        dataFolder: `${dir}/Data`,
        summary: false,
        retries: 2,
        onEvent: (e) => void (e.type === "ended" && ended.push(e.record)),
        ...extra,
      });
      ended.sort((a, b) => a.index - b.index);
      assertEquals(result.runs.length, ended.length);
      result.runs.forEach((r, i) => assertSame(r, ended[i]));
      return result;
    };
    const odd = modes.map((mode, k) => ({ mode, k }));
    const first = await sweep({ points: odd, repeats: 2 });
    const byMode = new Map(first.runs.map((r) => [r.params.mode, r]));
    assertEquals(byMode.get("flaky")!.attempts, 3);
    assertEquals(byMode.get("throw")!.status, "failed");
    assertEquals(byMode.get("bigint")!.result!.big, 2n ** 70n);
    // numbers-only params are copies: changing one run's leaves the others and a second read alone
    const numeric = await sweep({ grid: { k: [1, 2], x: [-0, 0.5] }, repeats: 2, name: "Num" });
    const before = JSON.stringify(numeric.runs.slice(1));
    (numeric.runs[0].params as Record<string, unknown>).k = 99;
    assertEquals(JSON.stringify(numeric.runs.slice(1)), before);
    // resume: the done runs skipped, the rest (failed, and two new points) run again; 0 runs when all done
    const again = await sweep({
      points: [
        ...odd,
        // params named like Object.prototype's members, numbers only (kept as numbers)
        JSON.parse('{"__proto__": 1, "constructor": 2, "toString": 3, "k": -0}'),
        { constructor: 2, toString: 3, k: 1 },
      ],
      repeats: 2,
      resume: true,
    });
    assertEquals(again.skipped, 2 * (modes.length - 1));
    assertEquals(again.runs.length, 2 + 4);
    const none = await sweep({
      grid: { k: [1, 2], x: [-0, 0.5] },
      repeats: 2,
      name: "Num",
      resume: true,
    });
    assertEquals([none.runs.length, none.skipped], [0, 8]);
  });
});

Deno.test("result.runs set to null or undefined (to drop the records) reads back as set, as a plain field", () => {
  // The getter dropped its store on a set and made the records again when `runs` was falsy: after
  // `result.runs = null`, reading it (and JSON.stringify, spreading, console.log of the result) threw
  // "Cannot read properties of undefined (reading 'records')".
  const record: RunRecord = {
    index: 0,
    params: { k: 1 },
    repeat: 0,
    path: "/d/Data/StorageManager/Sw/Sw1",
    status: "done",
    durationMs: 1,
    attempts: 1,
    seed: 1,
  };
  for (const value of [null, undefined]) {
    const result = withRecords({ id: "x" }, new RecordStore([record]));
    (result as { runs: unknown }).runs = value;
    assert((result as { runs: unknown }).runs === value);
    assertEquals(
      JSON.parse(JSON.stringify(result)),
      value === null ? { id: "x", runs: null } : { id: "x" },
    );
    assertEquals({ ...result }, { id: "x", runs: value } as unknown as typeof result);
    assert(Deno.inspect(result).includes(`runs: ${value}`));
  }
  const unread = withRecords({ id: "y" }, new RecordStore([record]));
  assertSame(unread.runs[0], record); // never set: made from the store, once
  assert(unread.runs === unread.runs);
});
