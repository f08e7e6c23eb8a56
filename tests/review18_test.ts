// A hostile review of session 18's changes as a new user would try them: each test failed before its fix.
import { assert, assertEquals } from "./_assert.ts";
import { runSweep } from "../runner/mod.ts";
import { cli, fixture, python, withTempDir } from "./_helpers.ts";

Deno.test("swept parameters named runs, n_runs, failed, n_failed and n: every header names each column once (Python's csv)", async () => {
  await withTempDir(async (dir) => {
    const out = await cli([
      ...["run", fixture("sims/tiny.ts"), "--name", "Pts", "--data", `${dir}/Data`],
      ...["--grid", "k=1,2", "--grid", "runs=3", "--grid", "n_runs=4", "--grid", "n=5"],
      ...["--grid", "failed=0", "--grid", "n_failed=6", "--repeats", "2", "--no-progress"],
    ]);
    assertEquals(out.code, 0, out.stderr);
    const header = (out.stdout.split("\n").find((l) => l.startsWith("k ")) ?? "").trim()
      .split(/\s{2,}/);
    assertEquals(new Set(header).size, header.length, `the printed table: ${header}`);
    const csv = `${dir}/Data/StorageManager/Pts/summary.csv`;
    const names = JSON.parse(
      await python(
        "import csv, json, sys; print(json.dumps(next(csv.reader(open(sys.argv[1])))))",
        [
          csv,
        ],
      ),
    ) as string[];
    assertEquals(new Set(names).size, names.length, `summary.csv: ${names}`);
    assertEquals(names.slice(0, 6), ["k", "runs", "n_runs", "n", "failed", "n_failed"]);
  });
});

Deno.test("a swept parameter named like a statistics column (score_mean, score_count): summary.csv names each column once", async () => {
  await withTempDir(async (dir) => {
    const out = await cli([
      ...["run", fixture("sims/tiny.ts"), "--name", "Stat", "--data", `${dir}/Data`],
      ...["--grid", "k=1,2", "--grid", "score_mean=3", "--grid", "score_count=7"],
      ...["--repeats", "2", "--no-progress"],
    ]);
    assertEquals(out.code, 0, out.stderr);
    const csv = `${dir}/Data/StorageManager/Stat/summary.csv`;
    const rows = JSON.parse(
      await python(
        "import csv, json, sys; print(json.dumps(list(csv.DictReader(open(sys.argv[1])))))",
        [csv],
      ),
    ) as Record<string, string>[];
    const names = Object.keys(rows[0]);
    assertEquals(names.slice(0, 5), ["k", "score_mean", "score_count", "runs", "failed"]);
    // the parameters keep their values; the statistics are renamed, not dropped
    assertEquals(rows.map((r) => [r.score_mean, r.score_count]), [["3", "7"], ["3", "7"]]);
    assert(names.includes("stat_score_mean") && names.includes("stat_score_count"), `${names}`);
    assertEquals(rows.map((r) => r.stat_score_count), ["2", "2"]);
    const header = (await Deno.readTextFile(csv)).split("\n")[0].split(",");
    assertEquals(new Set(header).size, header.length, `summary.csv: ${header}`);
  });
});

Deno.test("a slot's stdout reader held up while 79 runs pass: the logs of a run that printed are its own", async () => {
  await withTempDir(async (dir) => {
    // The `cat` that passes a slot's stdout FIFO to the pool is stopped (SIGSTOP) at run 0 and let go
    // once run 80 ended (well within the pool's 1 s wait for a run's end marker): its next read then
    // brings the markers of runs 1 and 80 in one chunk.
    const pids: number[] = [];
    const stopCat = () => {
      // Synchronous (in the pool's event handler, before run 0 can end): `ps`, which reads /proc.
      const ps = new Deno.Command("ps", { args: ["-eo", "pid=,args="], stdout: "piped" })
        .outputSync();
      for (const line of new TextDecoder().decode(ps.stdout).split("\n")) {
        const m = /^\s*(\d+)\s+cat (\S+)$/.exec(line);
        if (!m || !m[2].startsWith(dir) || !m[2].endsWith("/stdout")) continue;
        Deno.kill(Number(m[1]), "SIGSTOP");
        pids.push(Number(m[1]));
      }
    };
    let stoppedAt = 0;
    let lateBy = 0;
    let result;
    try {
      result = await runSweep({
        name: "Lag",
        simulation: fixture("sims/lagging_reader.ts"),
        points: Array.from({ length: 100 }, (_, i) => ({ i })),
        concurrency: 1,
        dataFolder: `${dir}/Data`,
        summary: false,
        onEvent: (e) => {
          if (e.type === "started" && e.index === 0) {
            stopCat();
            if (pids.length) stoppedAt = performance.now();
          }
          if (e.type === "ended" && e.record.index === 80 && pids.length) {
            lateBy = performance.now() - stoppedAt;
            for (const pid of pids.splice(0)) Deno.kill(pid, "SIGCONT");
          }
        },
      });
    } finally {
      for (const pid of pids.splice(0)) { // never left stopped
        try {
          Deno.kill(pid, "SIGCONT");
        } catch { /* ended */ }
      }
    }
    assert(stoppedAt > 0, "the stdout reader was found and stopped");
    assert(lateBy < 900, `runs 1 to 80 took ${lateBy} ms: too slow to test (the pool waits 1 s)`);
    const read = (p: string) => Deno.readTextFile(p).catch(() => "");
    for (const r of result.runs) {
      const i = r.index;
      const want = i === 1 || i === 80 ? `out ${i}\n` : "";
      assertEquals(await read(`${r.path}/stdout.log`), want, `run ${i}'s stdout.log`);
    }
  });
});
