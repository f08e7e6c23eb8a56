/**
 * A hostile review of the group index (format 3): groups of 200+ runs changed by real outside tools —
 * Python's configparser in place (`/usr/bin/python3`), `mv`, `rm -r`, `cp -a`, `cp -al`, `rsync -a`,
 * `touch -d`, a crashed writer's temp files, other processes, a copy of the whole tree, a tmpfs, a
 * symlinked Data folder, a real sweep with `--resume` — each followed by a load through the index compared
 * with one that reads every file (`index: false`, the truth), and by `ls`'s columns.
 */
import { assert, assertEquals } from "./_assert.ts";
import { cli, run, withTempDir } from "./_helpers.ts";
import { StorageManagerGroup } from "../src/group/group.ts";
import { groupFolder, groupIndexFile } from "../src/layout.ts";
import {
  check,
  EDIT,
  LOADER,
  makeGroup,
  N,
  py,
  settle,
  settledIndex,
  sh,
} from "./_index_review.ts";

Deno.test("every outside change to a 200+ run group is seen, settled or inside the racy window", async () => {
  await withTempDir(async (dataFolder) => {
    const name = "H";
    const g = makeGroup(dataFolder, name);
    const steps: [string, () => Promise<void>][] = [
      [
        "configparser in place, same size",
        () => py(EDIT, `${g}/H5/config.ini`, "Parameters", "score", "0.7").then(),
      ],
      [
        "configparser in place, mtime put back",
        () => py(EDIT, `${g}/H6/config.ini`, "Parameters", "score", "0.8", "keep").then(),
      ],
      ["touch -d back-dating after an edit", async () => {
        await py(EDIT, `${g}/H7/config.ini`, "Parameters", "score", "0.9");
        await sh("touch", "-d", "2001-01-01", `${g}/H7/config.ini`);
      }],
      ["editor: rename away, write new", async () => {
        await Deno.rename(`${g}/H8/config.ini`, `${g}/H8/config.ini~`);
        await Deno.writeTextFile(
          `${g}/H8/config.ini`,
          (await Deno.readTextFile(`${g}/H8/config.ini~`)).replace("0.5", "0.6"),
        );
      }],
      ["mv run folder to a new name", () => sh("mv", `${g}/H9`, `${g}/H900`)],
      ["mv run folder out, another in", async () => {
        await sh("mv", `${g}/H10`, `${dataFolder}/away`);
        await sh("mv", `${dataFolder}/away`, `${g}/H901`);
      }],
      ["rm -r a run", () => sh("rm", "-r", `${g}/H11`)],
      ["cp -a a run to a new name (mtimes kept)", () => sh("cp", "-a", `${g}/H5`, `${g}/H902`)],
      ["a run folder replaced by another of the same name (cp -a)", async () => {
        await sh("rm", "-r", `${g}/H12`);
        await sh("cp", "-a", `${g}/H5`, `${g}/H12`);
      }],
      [
        "cp -a over a run in place (O_TRUNC, mtime of the source)",
        () => sh("cp", "-a", `${g}/H6/config.ini`, `${g}/H13/config.ini`),
      ],
      ["config.ini replaced by one of the same size, mtime copied (touch -r)", async () => {
        const f = `${g}/H14/config.ini`;
        await Deno.writeTextFile(
          `${f}.new`,
          (await Deno.readTextFile(f)).replace("score = 0.5", "score = 0.9"),
        );
        await sh("touch", "-r", f, `${f}.new`);
        await Deno.rename(`${f}.new`, f);
      }],
      ["group folder back-dated after a run was added", async () => {
        await sh("cp", "-a", `${g}/H15`, `${g}/H903`);
        await py(EDIT, `${g}/H903/config.ini`, "Parameters", "score", "0.65");
        await sh("touch", "-d", "2001-01-01", g);
      }],
      ["crashed writers' temp files (run folder, group folder, .sweepstore)", async () => {
        await Deno.writeTextFile(
          `${g}/H16/.sweepstore-tmp-abc-config.ini`,
          "[Parameters]\nscore = 9\n",
        );
        await Deno.mkdir(`${g}/.sweepstore-tmp-run`);
        await Deno.writeTextFile(
          `${g}/.sweepstore-tmp-run/config.ini`,
          "[Parameters]\nscore = 9\n",
        );
        await Deno.writeTextFile(`${g}/.sweepstore/.sweepstore-tmp-zz-index`, '{"check"');
      }],
      ["config.ini deleted (folder kept), then another folder's first config.ini", async () => {
        await Deno.remove(`${g}/H17/config.ini`);
        await Deno.mkdir(`${g}/H904`);
      }],
      [
        "a folder without config.ini gets one in place",
        () => Deno.writeTextFile(`${g}/H904/config.ini`, "[Parameters]\nscore = 0.75\n"),
      ],
      ["the index deleted", () => Deno.remove(groupIndexFile(dataFolder, name))],
    ];
    await check(dataFolder, name, "first load");
    for (const [i, [why, step]] of steps.entries()) {
      await settledIndex(dataFolder, name);
      await step();
      await check(dataFolder, name, why, i % 2 ? "concurrent" : "auto"); // the cold-cache stat order too
    }
    // The same changes inside the racy window: each right after the load that indexed the previous one.
    for (const [i, run] of [20, 21, 22, 23].entries()) {
      await py(EDIT, `${g}/H${run}/config.ini`, "Parameters", "score", `0.${i + 6}`, "keep");
      await check(dataFolder, name, `racy ${run}`);
      await py(EDIT, `${g}/H${run}/config.ini`, "Parameters", "score", `0.${i + 1}`, "keep");
      await check(dataFolder, name, `racy again ${run}`);
    }
  });
});

Deno.test("runs made on demand after outside changes; saveParam through them, then reload", async () => {
  await withTempDir(async (dataFolder) => {
    const g = makeGroup(dataFolder, "Z");
    await settledIndex(dataFolder, "Z");
    await py(EDIT, `${g}/Z4/config.ini`, "Parameters", "score", "0.9", "keep");
    let smg = await check(dataFolder, "Z", "edited");
    const z4 = smg.query("score>0.6")[0];
    assertEquals([z4.name, z4.param("score")], ["Z4", 0.9]);
    await z4.saveParam("note", 1); // through a run made on demand: read under its lock, rewritten
    await py(EDIT, `${g}/Z4/config.ini`, "Parameters", "k", "44"); // PymoNNto changes it meanwhile
    await z4.saveParam("note", 2); // must not erase k = 44
    smg = await check(dataFolder, "Z", "after saveParam");
    assertEquals([smg.at(3)!.param("k"), smg.at(3)!.param("note")], [44, 2]);
    // Again a second later, the same size and the mtime put back (touch -d style): only ctime moved.
    await new Promise((r) => setTimeout(r, 1100));
    await py(EDIT, `${g}/Z4/config.ini`, "Parameters", "k", "45", "keep");
    await z4.saveParam("note", 3); // must not erase k = 45
    smg = await check(dataFolder, "Z", "after a back-dated edit and saveParam");
    assertEquals([smg.at(3)!.param("k"), smg.at(3)!.param("note")], [45, 3]);
    const z5 = smg.at(4)!;
    await z5.saveParam("score", 0.95);
    await smg.reloadRun(z5);
    assertEquals(smg.query("score>0.9").map((sm) => sm.name), ["Z5"]);
    await check(dataFolder, "Z", "after reloadRun");
    await settle();
    await check(dataFolder, "Z", "settled after saveParam");
  });
});

Deno.test("a copy of the whole tree (cp -a, rsync -a: same mtimes, new inodes) and a symlinked Data folder", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/A/Data`;
    const g = makeGroup(data, "T");
    await settledIndex(data, "T");
    await sh("cp", "-a", `${dir}/A`, `${dir}/B`);
    await sh("rsync", "-a", `${dir}/A/`, `${dir}/C`);
    for (const copy of ["B", "C"]) {
      const cg = groupFolder(`${dir}/${copy}/Data`, "T");
      await py(EDIT, `${cg}/T3/config.ini`, "Parameters", "score", "0.7", "keep");
      await check(`${dir}/${copy}/Data`, "T", `copy ${copy}`);
    }
    await check(data, "T", "original after the copies");
    // A hard-link copy (cp -al): the same config.ini inodes, index included; an edit in place changes both.
    await settledIndex(data, "T");
    await sh("cp", "-al", `${dir}/A`, `${dir}/H`);
    await py(
      EDIT,
      `${groupFolder(`${dir}/H/Data`, "T")}/T4/config.ini`,
      "Parameters",
      "score",
      "0.6",
      "keep",
    );
    await check(`${dir}/H/Data`, "T", "hard-link copy");
    await check(data, "T", "original of the hard-link copy");
    // A Data folder reached through a symlink, pointed at another copy between loads.
    await Deno.symlink(`${dir}/A/Data`, `${dir}/L`);
    await check(`${dir}/L`, "T", "through the symlink");
    await py(EDIT, `${g}/T9/config.ini`, "Parameters", "score", "0.8", "keep");
    await Deno.remove(`${dir}/L`);
    await Deno.symlink(`${dir}/B/Data`, `${dir}/L`);
    await check(`${dir}/L`, "T", "symlink retargeted");
    await settle();
    await check(`${dir}/L`, "T", "symlink retargeted, settled");
  });
});

Deno.test("a group on tmpfs: changes in place, mv, rm -r are seen", async () => {
  await withTempDir(async (dir) => {
    await sh("mount", "-t", "tmpfs", "-o", "size=64M", "tmpfs", dir);
    try {
      const data = `${dir}/Data`;
      const g = makeGroup(data, "F");
      await settle();
      await check(data, "F", "tmpfs first");
      await check(data, "F", "tmpfs settled");
      await py(EDIT, `${g}/F3/config.ini`, "Parameters", "score", "0.7", "keep");
      await sh("mv", `${g}/F4`, `${g}/F400`);
      await sh("rm", "-r", `${g}/F5`);
      await check(data, "F", "tmpfs changed");
      await sh("cp", "-a", `${dir}/Data`, `${dir}/Copy`);
      await check(`${dir}/Copy`, "F", "tmpfs copy");
      // A FIFO as a run's config.ini: opened to stat it (as on NFS), it would wait for a writer forever.
      await Deno.remove(`${g}/F6/config.ini`);
      await sh("mkfifo", `${g}/F6/config.ini`);
      for (const mode of ["auto", "sequential"]) {
        const script = `${dir}/fifo_${mode}.ts`;
        await Deno.writeTextFile(
          script,
          LOADER.replace('"Q"', '"F"').replace(
            "Deno.args[0] }",
            `Deno.args[0], readMode: "${mode}" }`,
          ),
        );
        const child = new Deno.Command(Deno.execPath(), {
          args: ["run", "--allow-read", "--allow-write", script, data],
          stdout: "piped",
        }).spawn();
        const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
        const out = await child.output();
        clearTimeout(timer);
        assertEquals(
          [out.code, new TextDecoder().decode(out.stdout).trim()],
          [0, String(N - 2)],
          mode,
        );
      }
      await check(data, "F", "tmpfs, a FIFO config.ini");
    } finally {
      await run("umount", ["-l", dir]);
    }
  });
});

const RACER = `
import { StorageManagerGroup } from "${new URL("../src/group/group.ts", import.meta.url).href}";
const [dataFolder, rounds] = Deno.args;
for (let i = 0; i < Number(rounds); i++) await StorageManagerGroup.load("P", { dataFolder });
`;

Deno.test("two processes loading while Python rewrites runs in place and adds some", async () => {
  await withTempDir(async (dataFolder) => {
    const g = makeGroup(dataFolder, "P");
    await settledIndex(dataFolder, "P");
    const script = `${dataFolder}/racer.ts`;
    await Deno.writeTextFile(script, RACER);
    const racer = () =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-read", "--allow-write", script, dataFolder, "15"],
      }).output();
    const writer = py(
      `${
        EDIT.replace(
          "p, section, key, value = sys.argv[1:5]",
          "import shutil, time\ng = sys.argv[1]",
        )
          .replace(/^st = [\s\S]*$/m, "")
      }
for i in range(60):
    p = f"{g}/P{1 + i % 50}/config.ini"
    c = configparser.ConfigParser(); c.read(p); c.set("Parameters", "score", f"0.{i % 9 + 1}")
    with open(p, "w") as f: c.write(f)
    if i % 10 == 0: shutil.copytree(f"{g}/P60", f"{g}/P{1000 + i}")
    time.sleep(0.01)
`,
      g,
    );
    const [a, b] = await Promise.all([racer(), racer(), writer]);
    assertEquals([a.code, b.code], [0, 0], new TextDecoder().decode(a.stderr));
    await check(dataFolder, "P", "after the race");
    await settle();
    await check(dataFolder, "P", "after the race, settled");
  });
});

/**
 * A value text of the same length with its first digit changed (`7.5` → `8.5`; a 9 becomes 8, not 0:
 * `97.5` → `07.5` is the number 7.5 written otherwise, and `ls` shows the text).
 */
const sameLength = (v: string) => v.replace(/\d/, (d) => String(d === "9" ? 8 : Number(d) + 1));

Deno.test("a real sweep of 210 points: status, report, ls and --resume see outside changes", async () => {
  await withTempDir(async (dir) => {
    const data = `${dir}/Data`;
    const sim = new URL("./fixtures/sims/tiny.ts", import.meta.url).pathname;
    const ks = Array.from({ length: 210 }, (_, i) => i + 1).join(",");
    const args = ["run", sim, "--name", "S", "--data", data, "--grid", `k=${ks}`, "-j", "2"];
    let r = await cli([...args, "--no-progress"]);
    assertEquals(r.code, 0, r.stderr);
    await settledIndex(data, "S");
    const g = groupFolder(data, "S");
    const [a, b, c] = (await StorageManagerGroup.load("S", { dataFolder: data, index: false }))
      .runs.map((sm) => sm.name);
    // Same size, mtime put back: a done run marked "fail"; another's score changed; a third removed.
    await py(EDIT, `${g}/${a}/config.ini`, "Run", "status", "fail", "keep");
    const score = /score = (.*)/.exec(await Deno.readTextFile(`${g}/${b}/config.ini`))![1];
    await py(EDIT, `${g}/${b}/config.ini`, "Parameters", "score", sameLength(score), "keep");
    await sh("rm", "-r", `${g}/${c}`);
    // --resume, through the index settled before the edits, runs again exactly the point whose run is no
    // longer done and the one removed.
    r = await cli([...args, "--resume", "--no-progress"]);
    assertEquals(r.code, 0, r.stderr);
    assert(/2 to run/.test(r.stdout + r.stderr), r.stdout + r.stderr);
    assertEquals((await check(data, "S", "after resume")).length, 211);
    await settledIndex(data, "S");
    await py(EDIT, `${g}/${b}/config.ini`, "Parameters", "score", score, "keep");
    // Each command through the settled index, then with the index deleted (the truth): the same output.
    const both = async (cmd: string[]) => {
      const indexed = await cli(cmd);
      await Deno.remove(groupIndexFile(data, "S"));
      const truth = await cli(cmd);
      assertEquals(indexed, truth, cmd.join(" "));
      return indexed.stdout;
    };
    assert((await both(["status", "S", "--data", data])).startsWith("S: 211 runs (210 done, "));
    assert((await both(["ls", "--data", data])).includes("211 runs  (210 done, "));
    const report = await both([
      "report",
      "S",
      "--data",
      data,
      "--json",
      "--where",
      `score==${score}`,
    ]);
    assert(JSON.parse(report).some((row: { run: string }) => row.run === b), report);
  });
});

Deno.test("edits around the racy margin: same size, mtime put back, 0 to 3.5 s after the last one", async () => {
  await withTempDir(async (dataFolder) => {
    const g = makeGroup(dataFolder, "M");
    await settledIndex(dataFolder, "M");
    const file = `${g}/M2/config.ini`;
    for (const [i, delay] of [0, 500, 1000, 1500, 2000, 2500, 3000, 3500].entries()) {
      await py(EDIT, file, "Parameters", "score", `0.${i + 1}`, "keep");
      await new Promise((r) => setTimeout(r, delay));
      await check(dataFolder, "M", `indexed ${delay} ms after the edit`);
      await py(EDIT, file, "Parameters", "score", `0.${9 - i}`, "keep"); // right after that load
      await check(dataFolder, "M", `edited again after the load ${delay} ms later`);
    }
  });
});
