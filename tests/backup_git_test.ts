// backup.zip against real git: the zip holds exactly what `git ls-files --cached --others
// --exclude-standard` lists (minus Data, .git, node_modules, .zip files), with git and without it.
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { createBackupZip } from "../src/formats/backup.ts";
import { StorageManager } from "../src/run/storage_manager.ts";

/** Runs git with a config that ignores the user's global and system settings (no global excludes). */
async function git(cwd: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args: ["-c", "user.email=t@t", "-c", "user.name=t", ...args],
    cwd,
    env: { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  if (!out.success) throw new Error(`git ${args.join(" ")} failed: ${dec.decode(out.stderr)}`);
  return dec.decode(out.stdout);
}

/** git's list, as the zip must hold it: without Data, node_modules and .zip files. */
async function gitList(cwd: string): Promise<string[]> {
  const out = await git(cwd, "ls-files", "-z", "--cached", "--others", "--exclude-standard");
  return [...new Set(out.split("\0").filter(Boolean))]
    .filter((p) => !p.split("/").some((c) => c === "Data" || c === "node_modules"))
    .filter((p) => !p.endsWith(".zip") && !p.endsWith("/"))
    .sort();
}

async function zipList(zip: string): Promise<string[]> {
  const { unzipSync } = await import("fflate");
  return Object.keys(unzipSync(await Deno.readFile(zip))).sort();
}

async function write(path: string, text = "x\n") {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(path, text);
}

const ROOT_GITIGNORE = [
  "# comment",
  "*.log",
  "build/",
  "/only_root.txt",
  "docs/*.tmp",
  "**/cache/",
  "foo/**/bar.txt",
  "*.[oa]",
  "\\#hash.txt",
  "[[:digit:]]x.txt",
  "logs/",
  "!logs/important.txt",
  "*.Md",
  "space.txt   ",
  "vendor/*",
  "!vendor/keep/",
  "a**b.txt",
  "deep/**",
  "!deep/x/",
  "[!q]uery.txt",
  "lit\\*.txt",
  "[a-c]range.txt",
  "trail\\ ",
  "dironly/",
  "/anch/*/x.txt",
  "[]]bracket.txt",
  "",
].join("\n");

/** A tree with the tricky cases of gitignore(5); `exclude` goes to .git/info/exclude. */
async function makeTree(p: string): Promise<void> {
  await write(`${p}/.gitignore`, ROOT_GITIGNORE);
  await write(`${p}/sub/.gitignore`, "!keep.log\n/local.txt\n");
  const files = [
    "sim.ts",
    "keep.log",
    "run.log",
    "sub/keep.log",
    "sub/other.log",
    "sub/local.txt",
    "sub/deeper/local.txt",
    "build/out.js",
    "src/build/x.js",
    "other/build",
    "only_root.txt",
    "sub/only_root.txt",
    "docs/a.tmp",
    "docs/deep/b.tmp",
    "sub/docs/c.tmp",
    "x/cache/y.txt",
    "cache.txt",
    "foo/bar.txt",
    "foo/a/b/bar.txt",
    "foo/baz.txt",
    "x.o",
    "y.a",
    "z.b",
    "#hash.txt",
    "1x.txt",
    "ax.txt",
    "logs/important.txt",
    "logs/other.txt",
    "x.md",
    "y.Md",
    "space.txt",
    "vendor/keep/k.js",
    "vendor/drop/d.js",
    "vendor/file.txt",
    "ab.txt",
    "aXYb.txt",
    "a/b.txt",
    "deep/x/y.txt",
    "deep/z.txt",
    "query.txt",
    "uery.txt",
    "quuery.txt",
    "ünï cödé.txt",
    "lit*.txt",
    "litx.txt",
    "brange.txt",
    "drange.txt",
    "trail ",
    "trail",
    "dironly",
    "sub/dironly/f.txt",
    "anch/a/x.txt",
    "anch/a/b/x.txt",
    "sub/anch/a/x.txt",
    "]bracket.txt",
    "xbracket.txt",
    "local_only.txt",
    "Data/StorageManager/R/R1/config.ini",
    "node_modules/pkg/index.js",
    "lib/node_modules/x.js",
    "old.zip",
  ];
  for (const f of files) await write(`${p}/${f}`);
}

Deno.test("backup.zip holds exactly git's list on a tricky tree (git present, tracked and ignored files too)", async () => {
  await withTempDir(async (p) => {
    await makeTree(p);
    await git(p, "init", "-q");
    await write(`${p}/.git/info/exclude`, "local_only.txt\n");
    await git(p, "add", "sim.ts", "sub/.gitignore");
    await git(p, "add", "-f", "run.log", "build/out.js"); // tracked though ignored: git lists them
    await git(p, "commit", "-qm", "init");
    const expected = await gitList(p);
    assert(expected.includes("run.log") && expected.includes("sub/keep.log"), expected.join(","));
    const result = await createBackupZip(p, `${p}/Data/backup.zip`);
    assertEquals(result.listedBy, "git");
    assertEquals(await zipList(`${p}/Data/backup.zip`), expected);
  });
});

Deno.test("backup.zip without git (git missing, or git: false) follows the same rules: nested files, negations, info/exclude", async () => {
  await withTempDir(async (p) => {
    await makeTree(p);
    await git(p, "init", "-q"); // nothing tracked: git's list is the rules alone
    await write(`${p}/.git/info/exclude`, "local_only.txt\n*.b\n");
    const expected = await gitList(p);
    assert(!expected.includes("local_only.txt") && expected.includes("sub/keep.log"));
    assert(expected.includes("vendor/keep/k.js") && !expected.includes("logs/important.txt"));
    for (const out of ["lit*.txt", "trail ", "brange.txt", "anch/a/x.txt", "]bracket.txt"]) {
      assert(!expected.includes(out), `git leaves out ${out}`);
    }
    for (
      const kept of ["litx.txt", "trail", "drange.txt", "dironly", "anch/a/b/x.txt", "xbracket.txt"]
    ) {
      assert(expected.includes(kept), `git keeps ${kept}`);
    }
    for (const exe of ["/nonexistent/git", false] as const) {
      const zip = `${p}/Data/backup-${exe === false ? "off" : "missing"}.zip`;
      const result = await createBackupZip(p, zip, { git: exe });
      assertEquals(result.listedBy, "rules");
      assertEquals(await zipList(zip), expected, `git: ${exe}`);
    }
  });
});

Deno.test("backup.zip of a folder that is not a repository applies its .gitignore files as git would", async () => {
  await withTempDir(async (p) => {
    await makeTree(p);
    await git(p, "init", "-q");
    const expected = await gitList(p);
    await Deno.remove(`${p}/.git`, { recursive: true });
    const result = await createBackupZip(p, `${p}/Data/backup.zip`); // git runs, but no repository
    assertEquals(result.listedBy, "rules");
    assertEquals(await zipList(`${p}/Data/backup.zip`), expected);
  });
});

Deno.test("backup.zip of a project inside a repository honours the .gitignore files above it, with and without git", async () => {
  await withTempDir(async (top) => {
    await write(`${top}/.gitignore`, "*.log\nproj/sub/drop/\n");
    await makeTree(`${top}/proj`);
    await write(`${top}/proj/sub/drop/x.txt`);
    await write(`${top}/proj/nested/.git/HEAD`, "ref: refs/heads/main\n"); // a nested repository
    await write(`${top}/proj/nested/inner.txt`);
    await git(top, "init", "-q");
    await write(`${top}/.git/info/exclude`, "proj/local_only.txt\n");
    await git(`${top}/proj/nested`, "init", "-q");
    const expected = await gitList(`${top}/proj`);
    assert(!expected.includes("sub/drop/x.txt") && !expected.includes("nested/inner.txt"));
    for (const exe of ["git", false] as const) {
      const zip = `${top}/proj/Data/backup-${exe === false ? "off" : "git"}.zip`;
      const result = await createBackupZip(`${top}/proj`, zip, { git: exe });
      assertEquals(result.listedBy, exe === false ? "rules" : "git");
      assertEquals(await zipList(zip), expected, `git: ${exe}`);
    }
  });
});

Deno.test("copyProjectFiles() keeps a file that a nested .gitignore re-includes (!keep.log under a root *.log)", async () => {
  await withTempDir(async (p) => {
    await write(`${p}/.gitignore`, "*.log\n");
    await write(`${p}/sub/.gitignore`, "!keep.log\n");
    await write(`${p}/sub/keep.log`, "kept\n");
    await write(`${p}/sub/drop.log`, "dropped\n");
    await write(`${p}/sim.ts`, "export {};\n");
    const sm = await StorageManager.create("Bk", { dataFolder: `${p}/Data` });
    const zip = await sm.copyProjectFiles({ git: false });
    assertEquals(await zipList(zip), [".gitignore", "sim.ts", "sub/.gitignore", "sub/keep.log"]);
    await git(p, "init", "-q");
    const withGit = await sm.copyProjectFiles();
    assertEquals(await zipList(withGit), await gitList(p));
  });
});

Deno.test("without git, tracked files that a pattern ignores are kept as git lists them (index formats 2, 3, 4)", async () => {
  await withTempDir(async (p) => {
    await makeTree(p);
    await git(p, "init", "-q");
    await git(p, "add", "sim.ts", "sub/.gitignore", "ünï cödé.txt");
    await git(p, "add", "-f", "run.log", "build/out.js", "logs/other.txt", "vendor/drop/d.js");
    await git(p, "commit", "-qm", "init");
    await write(`${p}/new/intent.txt`);
    await git(p, "add", "-N", "-f", "new/intent.txt"); // intent-to-add: an extended flag (format 3)
    for (const version of ["2", "3", "4"]) {
      if (version !== "3") await git(p, "update-index", "--index-version", version);
      const expected = await gitList(p);
      assert(expected.includes("build/out.js") && expected.includes("vendor/drop/d.js"));
      const zip = `${p}/Data/backup-v${version}.zip`;
      const result = await createBackupZip(p, zip, { git: false });
      assertEquals(result.listedBy, "rules");
      assertEquals(await zipList(zip), expected, `index version ${version}`);
    }
  });
});

Deno.test("without git, a project in a linked worktree reads its own index and the shared info/exclude", async () => {
  await withTempDir(async (dir) => {
    const main = `${dir}/main`;
    await makeTree(main);
    await git(main, "init", "-q");
    await git(main, "add", ".");
    await git(main, "add", "-f", "run.log");
    await git(main, "commit", "-qm", "init");
    await write(`${main}/.git/info/exclude`, "untracked_excluded.txt\n");
    await git(main, "worktree", "add", "-q", `${dir}/wt`);
    await write(`${dir}/wt/untracked_excluded.txt`);
    await write(`${dir}/wt/untracked_kept.txt`);
    const expected = await gitList(`${dir}/wt`);
    assert(expected.includes("run.log") && expected.includes("untracked_kept.txt"));
    assert(!expected.includes("untracked_excluded.txt"));
    const result = await createBackupZip(`${dir}/wt`, `${dir}/wt/Data/b.zip`, { git: false });
    assertEquals(result.listedBy, "rules");
    assertEquals(await zipList(`${dir}/wt/Data/b.zip`), expected);
  });
});

Deno.test("without git, nested .gitignore files combine as git's precedence says (re-included folders, ** below a folder, glob characters in folder names)", async () => {
  await withTempDir(async (p) => {
    // a bracket expression never matches "/": /a[!b]c leaves out axc, not a/c
    await write(`${p}/.gitignore`, "*.tmp\nsub/gen/\n*.d\n/top.txt\n/a[!b]c\n");
    // sub/ re-includes what the root ignores; its patterns apply only below sub/
    await write(`${p}/sub/.gitignore`, "!gen/\n!keep.tmp\n**/out\n*.txt\n!a.d/\ntop.txt\n");
    await write(`${p}/sub/gen/.gitignore`, "*\n!*.ts\n!.gitignore\n");
    await write(`${p}/we[ir]d*?/.gitignore`, "x\n/y/\n");
    const files = [
      "a.tmp",
      "top.txt",
      "sub/top.txt",
      "sub/x.txt",
      "sub/keep.tmp",
      "sub/drop.tmp",
      "sub/out",
      "sub/deep/out/f.js",
      "sub/gen/g.ts",
      "sub/gen/g.js",
      "sub/a.d/f.d",
      "sub/a.d/f.js",
      "b.d/f.js",
      "out/f.js",
      "x.js",
      "we[ir]d*?/x",
      "we[ir]d*?/y/z.js",
      "we[ir]d*?/z/y/z.js",
      "weid/x",
      "weidzz/x",
      "a/c",
      "axc",
    ];
    for (const f of files) await write(`${p}/${f}`);
    await git(p, "init", "-q");
    const expected = await gitList(p);
    for (const kept of ["sub/keep.tmp", "sub/gen/g.ts", "sub/a.d/f.js", "out/f.js", "weidzz/x"]) {
      assert(expected.includes(kept), `git keeps ${kept}`);
    }
    for (const out of ["sub/drop.tmp", "sub/gen/g.js", "sub/a.d/f.d", "sub/deep/out/f.js"]) {
      assert(!expected.includes(out), `git leaves out ${out}`);
    }
    assert(!expected.includes("we[ir]d*?/x") && expected.includes("we[ir]d*?/z/y/z.js"));
    assert(expected.includes("a/c") && !expected.includes("axc"));
    await Deno.mkdir(`${p}/Data`);
    const result = await createBackupZip(p, `${p}/Data/backup.zip`, { git: false });
    assertEquals(result.listedBy, "rules");
    assertEquals(await zipList(`${p}/Data/backup.zip`), expected);
  });
});
