import { assert, assertEquals } from "./_assert.ts";
import { python, run, withTempDir } from "./_helpers.ts";
import { createBackupZip, gitInfo } from "../src/formats/backup.ts";

async function write(path: string, text: string) {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(path, text);
}

Deno.test("createBackupZip() zips the project without Data, .git, node_modules and what .gitignore ignores", async () => {
  await withTempDir(async (p) => {
    await write(`${p}/sim.ts`, "export const sim = 1;\n");
    await write(`${p}/lib/util.ts`, "export {};\n");
    await write(`${p}/Data/StorageManager/X/X1/config.ini`, "[Parameters]\n");
    await write(`${p}/.git/HEAD`, "ref: refs/heads/main\n");
    await write(`${p}/node_modules/pkg/index.js`, "x\n");
    await write(`${p}/.gitignore`, "*.log\nbuild/\n!keep.log\n");
    await write(`${p}/run.log`, "noise\n");
    await write(`${p}/keep.log`, "kept\n");
    await write(`${p}/build/out.js`, "built\n");
    await write(`${p}/lib/.gitignore`, "secret.txt\n");
    await write(`${p}/lib/secret.txt`, "s\n");
    await write(`${p}/old.zip`, "zip\n");
    await write(`${p}/big.bin`, "x".repeat(2000));
    await Deno.symlink(`${p}/sim.ts`, `${p}/link.ts`);
    const result = await createBackupZip(p, `${p}/Data/backup.zip`, {
      maxFileBytes: 1000,
      exclude: ["lib/util.ts"],
    });
    const listed = await python(
      `import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({n: z.read(n).decode() for n in sorted(z.namelist())}))`,
      [`${p}/Data/backup.zip`],
    );
    assertEquals(JSON.parse(listed), {
      ".gitignore": "*.log\nbuild/\n!keep.log\n",
      "keep.log": "kept\n",
      "lib/.gitignore": "secret.txt\n",
      "sim.ts": "export const sim = 1;\n",
    });
    assertEquals(result.files, 4);
    assertEquals(result.skipped.sort(), ["big.bin", "link.ts"]);
  });
});

Deno.test("gitInfo() gives the commit and the dirty flag, and null outside a repository", async () => {
  await withTempDir(async (p) => {
    assertEquals(await gitInfo(p), null);
    const git = (...args: string[]) =>
      run("git", ["-c", "user.email=t@t", "-c", "user.name=t", ...args], { cwd: p });
    await git("init", "-q");
    assertEquals(await gitInfo(p), null, "no commit yet");
    await write(`${p}/a.ts`, "1\n");
    await git("add", ".");
    await git("commit", "-qm", "first");
    const head = (await git("rev-parse", "HEAD")).stdout.trim();
    assertEquals(await gitInfo(p), { commit: head, dirty: false });
    await write(`${p}/a.ts`, "2\n");
    const info = await gitInfo(p);
    assert(info?.dirty === true && info.commit === head);
  });
});
