// A sweep records the project's git commit in each run's [Run] section, and report.html shows it in its
// header (issue 13: "the sweep's header (… git commit)").
import { assert, assertEquals } from "./_assert.ts";
import { run, withTempDir } from "./_helpers.ts";
import { runSweep } from "../runner/mod.ts";
import { readRunSection } from "../runner/run_record.ts";

const SIM = new URL("./fixtures/sims/engine_sims.ts", import.meta.url);

Deno.test("a sweep in a git project records [Run] git_commit (+dirty) and report.html shows it", async () => {
  await withTempDir(async (dir) => {
    const git = (...args: string[]) => run("git", ["-C", dir, ...args]);
    await git("init", "-q");
    await Deno.writeTextFile(`${dir}/a.txt`, "a\n");
    await git("add", "a.txt");
    await git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "-m", "a");
    const head = (await git("rev-parse", "HEAD")).stdout.trim();
    assertEquals(head.length, 40);
    const result = await runSweep({
      name: "Git",
      simulation: SIM,
      points: [{ mode: "sleep", ms: 1 }],
      dataFolder: `${dir}/Data`,
    });
    const [sm] = result.group.runs;
    assertEquals(readRunSection(sm).git_commit, head);
    let page = await Deno.readTextFile(result.summary!.files.html!);
    assert(page.includes(head), "report.html names the commit");
    await Deno.writeTextFile(`${dir}/a.txt`, "changed\n"); // an uncommitted change: +dirty
    const again = await runSweep({
      name: "Git",
      simulation: SIM,
      points: [{ mode: "sleep", ms: 2 }],
      dataFolder: `${dir}/Data`,
    });
    const commits = again.group.runs.map((r) => readRunSection(r).git_commit).sort();
    assertEquals(commits, [head, `${head}+dirty`]);
    page = await Deno.readTextFile(again.summary!.files.html!);
    assert(page.includes(`${head}+dirty`), "report.html names both commits");
  });
});
