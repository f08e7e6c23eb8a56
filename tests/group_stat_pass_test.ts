/**
 * The stat pass of a group load (`src/group/_stat_pass.ts`): when a block of synchronous stats shows a
 * cold cache (the decision, from each stat's time and its repeat's), and that the synchronous and the
 * concurrent pass record the same thing for every kind of folder (a run, no `config.ini`, a `config.ini`
 * that is a folder). Whether it is fast is measured in bench/group_cold_bench.ts, not here.
 */
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { coldCache, inodeOrder, statPass } from "../src/group/_stat_pass.ts";

const block = (n: number, cold: number, coldMs = 0.2, warmMs = 0.004) => ({
  first: Array.from(
    { length: n },
    (_, k) => (k % Math.round(n / Math.max(cold, 1)) === 0 && cold ? coldMs : warmMs),
  ),
  again: new Array<number>(n).fill(warmMs),
});

Deno.test("coldCache: every stat uncached is cold, every stat cached is not", () => {
  const cold = { first: new Array(32).fill(0.15), again: new Array(32).fill(0.004) };
  assert(coldCache(cold.first, cold.again));
  const warm = { first: new Array(32).fill(0.005), again: new Array(32).fill(0.004) };
  assert(!coldCache(warm.first, warm.again));
});

Deno.test("coldCache: a busy machine (every stat slow, the repeats as slow) is not a cold cache", () => {
  assert(!coldCache(new Array(32).fill(0.08), new Array(32).fill(0.06)));
});

Deno.test("coldCache: one or two preempted stats are not a cold cache, a quarter of the block uncached is", () => {
  const two = block(32, 2, 4); // 2 stats of 4 ms (a time slice)
  assertEquals(two.first.filter((t) => t > 1).length, 2);
  assert(!coldCache(two.first, two.again));
  // A group partly in the page cache: a quarter of its runs cold. The median of the block is a cached
  // stat (the decision before looked at the median and went on one stat after another: 12 s instead of
  // 3.4 s for 50,000 runs whose first 1,000 were cached).
  const quarter = block(32, 8);
  assertEquals(quarter.first.filter((t) => t > 0.1).length, 8);
  assert(coldCache(quarter.first, quarter.again));
  const fewer = block(32, 4);
  assert(!coldCache(fewer.first, fewer.again));
});

Deno.test("statPass: synchronous and concurrent passes record the same kinds and stamps", async () => {
  await withTempDir(async (dir) => {
    const folders: string[] = [];
    for (let i = 1; i <= 150; i++) {
      const name = `R${i}`;
      folders.push(name);
      await Deno.mkdir(`${dir}/${name}`);
      if (i % 7 === 0) continue; // no config.ini: not a run (yet)
      if (i % 11 === 0) await Deno.mkdir(`${dir}/${name}/config.ini`); // not a file: an error
      else await Deno.writeTextFile(`${dir}/${name}/config.ini`, `[P]\nx = ${i}\n`);
    }
    folders.push("Gone"); // listed, then removed
    const ino = (i: number) => (i < 150 ? Deno.statSync(`${dir}/${folders[i]}`).ino ?? 0 : 0);
    const sync = await statPass(dir, folders, true);
    const concurrent = await statPass(dir, folders, false, true, ino);
    const viaOpen = await statPass(dir, folders, false, false);
    for (const s of [sync, concurrent, viaOpen]) {
      assertEquals(s.length, 151);
      for (let i = 0; i < 150; i++) {
        const n = i + 1;
        const kind = n % 7 === 0 ? "none" : n % 11 === 0 ? "error" : "run";
        assertEquals(s.isRun(i) ? "run" : s.isNone(i) ? "none" : "error", kind, folders[i]);
        if (kind === "run") {
          const info = Deno.statSync(`${dir}/${folders[i]}/config.ini`);
          assertEquals(s.stamp(i), [
            info.ino,
            info.size,
            info.mtime!.getTime(),
            info.ctime!.getTime(),
          ]);
        }
        if (kind === "error") assert(s.errors.get(i)?.message.includes("not a file"));
      }
      assert(s.isNone(150), "a folder gone since the listing has no run");
    }
  });
});

Deno.test("inodeOrder: the folders by inode number, ties by folder, unknown inodes last, 64-bit inodes too", () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const expected = (from: number, ino: number[]) =>
    ino.map((x, k) => ({ x, j: from + k })).sort((a, b) => a.x - b.x || a.j - b.j).map((e) => e.j);
  for (const big of [false, true]) {
    const from = 40;
    const ino = Array.from({ length: 5000 }, () => {
      const r = rand();
      if (r < 0.05) return Number.MAX_VALUE; // a folder the index does not know
      if (r < 0.15) return 12345; // ties
      return Math.floor(rand() * (big ? 2 ** 40 : 2 ** 32 - 1));
    });
    const order = inodeOrder(from, from + ino.length, (j) => ino[j - from]);
    assertEquals([...order], expected(from, ino), big ? "64-bit inodes" : "32-bit inodes");
  }
  assertEquals([...inodeOrder(3, 3, () => 0)], []);
});
