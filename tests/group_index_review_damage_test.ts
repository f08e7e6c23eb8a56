/**
 * A hostile review of the group index (format 3), its damage side: a run turned corrupt under `ls`, a
 * flipped bit inside a column, a FIFO or folder where the index belongs, an index truncated at every line
 * end or of format 2 with matching stamps, and the stats off local disks (NFS's attribute cache). Each
 * load is compared with one that reads every file (`index: false`, the truth).
 */
import { assertEquals } from "./_assert.ts";
import { cli, run, withTempDir } from "./_helpers.ts";
import { StorageManagerGroup } from "../src/group/group.ts";
import { groupFolder, groupIndexFile } from "../src/layout.ts";
import { loadGroupColumns } from "../src/group/index_columns.ts";
import { headerLine } from "../src/group/_index_writer.ts";
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

Deno.test("ls counts a run whose config.ini turned corrupt as the group does: not a run (an error)", async () => {
  await withTempDir(async (dataFolder) => {
    const g = makeGroup(dataFolder, "C");
    await settledIndex(dataFolder, "C");
    await py(
      "import sys\nopen(sys.argv[1], 'w').write('[Parameters\\nscore = 0.5\\n')",
      `${g}/C18/config.ini`,
    );
    const truth = await StorageManagerGroup.load("C", { dataFolder, index: false });
    assertEquals([truth.length, truth.errors.length], [N - 1, 1]);
    const { names } = await loadGroupColumns("C", [["Run", "status"]], { dataFolder });
    assertEquals(names.length, N - 1);
    const ls = await cli(["ls", "--data", dataFolder]);
    assertEquals(ls.stdout.trim().split(/\s+/).slice(0, 5), [
      "C",
      String(N - 1),
      "runs",
      `(${N - 1}`,
      "done)",
    ]);
    await check(dataFolder, "C", "corrupt");
  });
});

Deno.test("a damaged index is never misread: one flipped bit inside a column (same length, valid JSON)", async () => {
  await withTempDir(async (dataFolder) => {
    makeGroup(dataFolder, "B");
    await settledIndex(dataFolder, "B");
    const file = groupIndexFile(dataFolder, "B");
    const bytes = await Deno.readFile(file);
    const text = new TextDecoder().decode(bytes);
    // The score column: every run has 0.5; one bit turns run B3's "0.5" into "0.4" (0x35 -> 0x34).
    const at = text.indexOf('["0.5","0.5","0.5"') + '["0.5","0.5","0.'.length;
    assertEquals(String.fromCharCode(bytes[at]), "5");
    bytes[at] ^= 1;
    await Deno.writeFile(file, bytes);
    await check(dataFolder, "B", "a flipped bit in a column");
    // The same in the status column, which `sweepstore ls` reads alone: "done" -> "dome" (0x6e -> 0x6d).
    const again = await Deno.readFile(file);
    const status = new TextDecoder().decode(again).indexOf('["done","done"') + '["done","do'.length;
    again[status] ^= 3;
    await Deno.writeFile(file, again);
    const ls = await cli(["ls", "--data", dataFolder]);
    assertEquals(ls.stdout.trim().split(/\s+/).slice(1), [String(N), "runs", `(${N}`, "done)"]);
    await check(dataFolder, "B", "a flipped bit in the status column");
    // A flipped bit while runs changed too (the rows kept are copied from the damaged index).
    await settledIndex(dataFolder, "B");
    const third = await Deno.readFile(file);
    third[new TextDecoder().decode(third).indexOf('["0.5","0.5","0.5"') + 3] ^= 1;
    await Deno.writeFile(file, third);
    const g = groupFolder(dataFolder, "B");
    await py(EDIT, `${g}/B7/config.ini`, "Parameters", "score", "0.8", "keep");
    await py(EDIT, `${g}/B8/config.ini`, "Parameters", "extra", "1");
    await sh("rm", "-r", `${g}/B9`);
    await check(dataFolder, "B", "a flipped bit and changed runs");
  });
});

Deno.test("a FIFO, a folder or zeros where the index belongs: loads and ls still work", async () => {
  await withTempDir(async (dataFolder) => {
    makeGroup(dataFolder, "Q");
    await check(dataFolder, "Q", "first");
    const file = groupIndexFile(dataFolder, "Q");
    await Deno.writeFile(file, new Uint8Array((await Deno.stat(file)).size)); // a crash's zero-filled file
    await check(dataFolder, "Q", "zeros");
    await Deno.remove(file);
    await sh("mkfifo", file); // opening it for reading would wait for a writer forever
    const script = `${dataFolder}/loader.ts`;
    await Deno.writeTextFile(script, LOADER);
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "--allow-write", script, dataFolder],
      stdout: "piped",
    }).spawn();
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    const out = await child.output();
    clearTimeout(timer);
    assertEquals([out.code, new TextDecoder().decode(out.stdout).trim()], [0, String(N)]);
    await check(dataFolder, "Q", "after the FIFO");
    await Deno.remove(file);
    await Deno.mkdir(file);
    await check(dataFolder, "Q", "a folder");
  });
});

Deno.test("a truncated, appended or older-format index is never misread", async () => {
  await withTempDir(async (dataFolder) => {
    makeGroup(dataFolder, "O");
    await settledIndex(dataFolder, "O");
    const file = groupIndexFile(dataFolder, "O");
    const good = await Deno.readFile(file);
    const text = new TextDecoder().decode(good);
    const lineEnds = [...text.matchAll(/\n/g)].map((m) => m.index!);
    const cuts = new Set<number>([1, good.length >> 1, good.length - 1]);
    for (const e of lineEnds) for (const d of [-1, 0, 1, 2]) cuts.add(e + d);
    const damaged: [string, Uint8Array][] = [...cuts]
      .filter((c) => c > 0 && c < good.length)
      .map((c) => [`cut at ${c}`, good.subarray(0, c)]);
    const enc = new TextEncoder();
    damaged.push(["a line appended", new Uint8Array([...good, ...enc.encode('["0.9"]\n')])]);
    const header = text.slice(lineEnds.at(-2)! + 1);
    damaged.push(["the header twice", enc.encode(text + header)]);
    // What format 2 wrote (columns without checksums), with stamps that match the files and other values.
    const head = JSON.parse(header).head;
    const lines = text.split("\n").slice(0, head.columns.length);
    head.version = 2;
    head.columns = head.columns.map(([s, k]: string[], i: number) => {
      if (k === "score") lines[i] = lines[i].replaceAll('"0.5"', '"0.9"');
      return [s, k, enc.encode(lines[i]).length];
    });
    damaged.push([
      "format 2",
      new Uint8Array([...enc.encode(lines.join("\n") + "\n"), ...headerLine(head), 10]),
    ]);
    for (const [why, bytes] of damaged) {
      await Deno.writeFile(file, bytes);
      const g = await check(dataFolder, "O", why);
      assertEquals(g.indexUse.read, N, why);
    }
  });
});

const SEQUENTIAL = `
import { StorageManagerGroup } from "${new URL("../src/group/group.ts", import.meta.url).href}";
const g = await StorageManagerGroup.load("W", { dataFolder: Deno.args[0], readMode: "sequential" });
console.log(JSON.stringify(g.indexUse));
`;

Deno.test("off local disks (tmpfs here, NFS in use) every config.ini is opened, also with readMode sequential", async () => {
  // On NFS a plain stat may answer from the client's attribute cache (up to acregmax, 60 s): a file changed
  // on another machine would keep its old stamp and the index its old values. An open asks the server
  // (close-to-open), so each stamp is taken through one; strace counts them (no NFS server here).
  await withTempDir(async (dir) => {
    await sh("mount", "-t", "tmpfs", "-o", "size=64M", "tmpfs", dir);
    try {
      const data = `${dir}/Data`;
      makeGroup(data, "W");
      await settle();
      await check(data, "W", "first");
      await check(data, "W", "settled");
      const script = `${dir}/seq.ts`;
      await Deno.writeTextFile(script, SEQUENTIAL);
      const trace = `${dir}/trace`;
      await sh(
        "strace",
        "-f",
        "-e",
        "trace=openat",
        "-o",
        trace,
        Deno.execPath(),
        "run",
        "-A",
        script,
        data,
      );
      const opened = new Set(
        [...(await Deno.readTextFile(trace)).matchAll(/openat\([^"]*"([^"]*\/config\.ini)"/g)].map((
          m,
        ) => m[1]),
      );
      assertEquals(opened.size, N);
    } finally {
      await run("umount", ["-l", dir]);
    }
  });
});
