// `sweepstore report` on runs a user made: parameters no run has are refused (naming those the runs have),
// and the automatic time stamp does not crowd the default table (issue 9, a newcomer's first hour).
import { assert, assertEquals } from "./_assert.ts";
import { cli, python, withTempDir } from "./_helpers.ts";
import { StorageManager } from "../mod.ts";

const report = (data: string, ...args: string[]) => cli(["report", "R", "--data", data, ...args]);

Deno.test("report refuses --sort and --columns of parameters no run has, and hides `time` unless asked", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    for (const [n, score] of [[1, 0.5], [2, 0.9]]) {
      await (await StorageManager.create("R", { dataFolder: data })).saveParamDict({ n, score });
    }
    const table = await report(data, "--sort", "score");
    assertEquals(table.code, 0, table.stderr);
    const header = table.stdout.split("\n")[0];
    assert(header.includes("score") && header.includes("n"), header);
    assert(!/\btime\b/.test(header), `time is not a default column: ${header}`);
    const timed = await report(data, "--columns", "n,time");
    assert(timed.stdout.split("\n")[0].includes("time"), timed.stdout);
    for (const args of [["--sort", "nosuch"], ["--columns", "n,nosuch"]]) {
      const out = await report(data, ...args);
      assertEquals(out.code, 2, out.stderr);
      assert(
        out.stderr.includes('no run has "nosuch"') && out.stderr.includes("score"),
        out.stderr,
      );
      assert(!/^\s*at /m.test(out.stderr), out.stderr);
    }
  });
});

Deno.test("report --html --sort KEY --asc ranks smaller first (a loss); --asc alone is refused", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    for (const [n, loss] of [[1, 0.5], [2, 0.1]]) {
      await (await StorageManager.create("R", { dataFolder: data })).saveParamDict({ n, loss });
    }
    const out = await report(data, "--html", "--sort", "loss", "--asc", "-o", `${dir}/r.html`);
    assertEquals(out.code, 0, out.stderr);
    const page = await Deno.readTextFile(`${dir}/r.html`);
    assert(page.includes('"goal":"minimize"'), "the page ranks by the smaller loss");
    const lone = await report(data, "--html", "--asc");
    assertEquals(lone.code, 2, lone.stderr);
    assert(lone.stderr.includes("--asc needs --sort"), lone.stderr);
  });
});

Deno.test("report --json keeps NaN, ±inf, -0 and integers past 2^53, as Python's json reads them", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const values: Record<string, number | bigint>[] = [
      { k: 1, v: NaN, w: -0 },
      { k: 2, v: Infinity, w: 2n ** 60n },
      { k: 3, v: -Infinity, w: 0.1 },
    ];
    for (const p of values) {
      await (await StorageManager.create("R", { dataFolder: data })).saveParamDict(p);
    }
    const out = await report(data, "--json", "--columns", "k,v,w", "--sort", "k", "--asc");
    assertEquals(out.code, 0, out.stderr);
    const file = `${dir}/r.json`;
    await Deno.writeTextFile(file, out.stdout);
    const printed = await python(
      "import json, sys; rows = json.load(open(sys.argv[1])); " +
        "print(json.dumps([[r['k'], repr(r['v']), repr(r['w'])] for r in rows]))",
      [file],
    );
    assertEquals(JSON.parse(printed), [
      [1, "nan", "-0.0"],
      [2, "inf", String(2n ** 60n)],
      [3, "-inf", "0.1"],
    ]);
  });
});
