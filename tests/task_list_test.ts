// The sweep's tasks kept compactly (runner/_task_list.ts, session 23): every task read from the list is
// expandSweep's task (the same fields in the same order, the point text still its canonical JSON), the list
// behaves as an array to its readers, and a sweep run from it (local backend, and resumed) records every
// task: result.runs complete, each run folder's [Run] point and seed those of expandSweep.
import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { expandSweep, pointKey, runSweep, type SweepSpec, type SweepTask } from "../runner/mod.ts";
import { pickTasks, taskCount, taskList } from "../runner/_task_list.ts";
import { StorageManagerGroup } from "../src/group/group.ts";
import { readRunSection } from "../runner/run_record.ts";

const SPECS: Record<string, SweepSpec> = {
  grid: { grid: { n: [1, 2, 3], lr: [0.1, 1e-5, -0] }, repeats: 2, seed: 7 },
  random: {
    random: { lr: { min: 1e-5, max: 0.1, log: true }, wd: { min: 0, max: 0.1 } },
    samples: 50,
    repeats: 3,
  },
  // points that are not all numbers, or not all the same keys: kept as objects from the first such point
  mixed: {
    points: [{ a: 1, b: 2 }, { a: 3, b: 4 }, { a: "x", b: true }, { a: [1, 2], b: { c: null } }],
    repeats: 2,
  },
  keys: { points: [{ b: 1, a: 2 }, { a: 3, b: 4 }, { b: 5, a: 6 }] },
  // numbers JSON cannot write, integer-like keys, a bigint
  special: {
    points: [
      { "2": NaN, "10": -0, x: Infinity },
      { "2": -Infinity, "10": 2 ** 53 + 2, x: 1e21 },
      { "2": 1n, "10": 0, x: 0.1 },
    ],
  },
  choices: { random: { mode: { choices: ["a", "b", 3] }, k: { min: 1, max: 9, integer: true } } },
};

for (const [name, spec] of Object.entries(SPECS)) {
  Deno.test(`a task list gives expandSweep's tasks, field by field and in order: ${name}`, () => {
    const expected = expandSweep(spec);
    const list = taskList(spec);
    assertEquals(list.length, expected.length);
    for (let i = 0; i < expected.length; i++) {
      const task = list[i];
      assertEquals(Object.keys(task), Object.keys(expected[i]));
      assertEquals(task, expected[i]);
      assert(Object.is(task.params.lr, expected[i].params.lr)); // -0 stays -0
      assertEquals(task.point, pointKey(task.params)); // the point's canonical JSON
    }
    assertEquals([...list], expected);
  });
}

Deno.test("a task list is an array to its readers; an assigned element is kept", () => {
  const spec = SPECS.grid;
  const expected = expandSweep(spec);
  const list = taskList(spec);
  assert(Array.isArray(list));
  assertEquals(list[expected.length], undefined);
  assertEquals(list[-1 as number], undefined);
  assert(0 in list && !(expected.length in list));
  assertEquals(JSON.stringify(list), JSON.stringify(expected));
  assertEquals(list.map((t) => t.seed), expected.map((t) => t.seed));
  assertEquals(list.filter((t) => t.repeat === 1), expected.filter((t) => t.repeat === 1));
  assertEquals(list.slice(3, 5), expected.slice(3, 5));
  assertEquals(Object.keys(list).length, expected.length);
  assertEquals(list.at(-1), expected.at(-1));
  assert(list[0] !== list[0], "each read makes the task anew");
  const mine = { ...list[2], point: "mine" };
  list[2] = mine;
  assert(list[2] === mine);
  assertEquals(taskCount(list), expected.length);
});

Deno.test("a task list carries run fields, as runSweep adds the git commit, each task its own copy", () => {
  const list = taskList(SPECS.keys, { git_commit: "abc" });
  const expected: SweepTask[] = expandSweep(SPECS.keys).map((t) => ({
    ...t,
    run: { git_commit: "abc" },
  }));
  assertEquals([...list], expected);
  assert(list[0].run !== list[0].run);
});

Deno.test("picked tasks: a task list again (of a task list), an array (of an array)", () => {
  const spec = SPECS.random;
  const expected = expandSweep(spec);
  const positions = Int32Array.from([1, 4, 5, 149]);
  const picked = pickTasks(taskList(spec), positions);
  assertEquals([...picked], [...positions].map((i) => expected[i]));
  assertEquals(taskCount(picked), expected.length); // the record store's size: the largest index + 1
  const fromArray = pickTasks(expected, positions);
  assert(fromArray[0] === expected[1]);
  assertEquals(taskCount(fromArray), 150);
});

Deno.test("a task list refuses what expandSweep refuses, with the same errors", () => {
  for (
    const bad of [
      {},
      { grid: { n: [] } },
      { points: [1 as unknown as Record<string, number>] },
      { grid: { n: [1] }, repeats: 0 },
      { random: { lr: { min: 1, max: 0 } } },
    ] as SweepSpec[]
  ) {
    const error = assertThrows(() => expandSweep(bad), TypeError);
    assertThrows(() => taskList(bad), TypeError, error.message);
  }
});

Deno.test("a sweep run from a task list records every task, and a resumed one each task once", async () => {
  await withTempDir(async (dir) => {
    const spec = {
      random: { a: { min: 0, max: 1 }, b: { min: 1e-5, max: 1, log: true } },
      samples: 12,
      repeats: 2,
    };
    const expected = expandSweep(spec);
    const base = {
      name: "Listed",
      simulation: new URL("../bench/sims/tiny_results.ts", import.meta.url),
      dataFolder: `${dir}/Data`,
      concurrency: 2,
      summary: false as const,
      ...spec,
    };
    const first = await runSweep(base);
    assertEquals(first.runs.length, expected.length);
    assertEquals(first.runs.map((r) => r.index), expected.map((t) => t.index));
    assertEquals(first.runs.map((r) => r.params), expected.map((t) => t.params));
    assertEquals(first.runs.map((r) => r.seed), expected.map((t) => t.seed));
    assert(first.runs.every((r) => r.status === "done"));
    const group = await StorageManagerGroup.load("Listed", { dataFolder: `${dir}/Data` });
    const points = new Set(expected.map((t) => `${t.point}#${t.repeat}#${t.seed}`));
    for (const sm of group) {
      const run = readRunSection(sm);
      assert(points.delete(`${run.point}#${run.repeat}#${run.seed}`), `${run.point} is no task's`);
    }
    assertEquals(points.size, 0);
    // more samples, resumed: the first 24 tasks are skipped, only the new ones run
    const more = { ...spec, samples: 15 };
    const second = await runSweep({ ...base, ...more, resume: true });
    assertEquals(second.skipped, expected.length);
    const all = expandSweep(more);
    assertEquals(second.runs.map((r) => r.index), all.slice(expected.length).map((t) => t.index));
    assertEquals(second.runs.map((r) => r.seed), all.slice(expected.length).map((t) => t.seed));
  });
});
