/**
 * The `--against` mode of storage_bench.ts: the same StorageManager operations from two trees (another
 * tree's `mod.ts`, and this one), alternated in small blocks so that the shared machine's load hits both
 * alike; prints the median of each side.
 */

// deno-lint-ignore no-explicit-any -- two versions of the class, typed by neither
type AnySM = any;

const median = (x: number[]) => [...x].sort((p, q) => p - q)[x.length >> 1];

async function saveParamRun(SM: AnySM, root: string) {
  const sm = await SM.create("P", { dataFolder: root }); // one group for both sides: P1, P2
  const dict: Record<string, number> = {};
  for (let i = 0; i < 1000; i++) dict[`param_${i}`] = i * 0.5;
  await sm.saveParamDict(dict);
  return { sm, other: await SM.open(sm.path) };
}

async function block(
  SM: AnySM,
  root: string,
  who: string,
  runs: AnySM,
  add: (w: string, v: number) => void,
) {
  let t = performance.now();
  for (let i = 0; i < 250; i++) await SM.create(`E${who}`, { dataFolder: root });
  add("create, enumerated (µs per run)", (performance.now() - t) * 1000 / 250);
  t = performance.now();
  for (let i = 0; i < 250; i++) await SM.create(`R${who}`, { dataFolder: root, randomNr: true });
  add("create, random name (µs per run)", (performance.now() - t) * 1000 / 250);
  t = performance.now();
  for (let i = 0; i < 20; i++) await runs.sm.saveParam("score", i);
  add("saveParam() on 1,000 params (µs)", (performance.now() - t) * 1000 / 20);
  let load = 0;
  for (let i = 0; i < 20; i++) {
    await runs.sm.saveParam("score", i);
    const t1 = performance.now();
    await runs.other.loadParam("score");
    load += performance.now() - t1;
  }
  add("loadParam() after a change (µs)", load * 1000 / 20);
  t = performance.now();
  for (let i = 0; i < 200; i++) await SM.open(runs.sm.path);
  add("open() (µs)", (performance.now() - t) * 1000 / 200);
  t = performance.now();
  for (let i = 0; i < 2000; i++) {
    SM.fromConfigText(`${root}/x/X${i}`, "[Parameters]\nn = 1\n").param("n");
  }
  add("fromConfigText() + param() (µs)", (performance.now() - t) * 1000 / 2000);
}

/** Runs 24 rounds of alternating blocks of `otherUrl`'s StorageManager and `ours`; prints the table. */
export async function compareAgainst(otherUrl: string, ours: AnySM): Promise<void> {
  const theirs = (await import(otherUrl)).StorageManager;
  const sides = [["other", theirs], ["this", ours]] as const;
  const root = await Deno.makeTempDir({ prefix: "sweepstore-ab-" });
  const results: Record<string, Record<string, number[]>> = { other: {}, this: {} };
  try {
    const runs: Record<string, AnySM> = {};
    for (const [who, SM] of sides) runs[who] = await saveParamRun(SM, root);
    for (const [who, SM] of sides) {
      for (let i = 0; i < 2000; i++) await SM.create(`Warm${who}`, { dataFolder: root }); // warm-up
    }
    for (let round = 0; round < 24; round++) {
      for (const [who, SM] of round % 2 ? [...sides].reverse() : sides) {
        await block(SM, root, who, runs[who], (what, v) => (results[who][what] ??= []).push(v));
      }
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
  console.log(`| what (median of 24 blocks) | ${otherUrl} | this tree |\n|---|---|---|`);
  for (const what of Object.keys(results.this)) {
    const [a, b] = [median(results.other[what]), median(results.this[what])];
    console.log(`| ${what} | ${a.toFixed(1)} | ${b.toFixed(1)} |`);
  }
}
