import { assert, assertEquals, assertRejects, assertThrows } from "./_assert.ts";
import { createRunFolder, findDataFolder } from "../src/run/data_folder.ts";
import { validateName } from "../src/run/names.ts";
import { StorageError } from "../src/errors.ts";

Deno.test("findDataFolder() finds Data in a parent folder of the start folder", async () => {
  const project = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${project}/Data`);
    await Deno.mkdir(`${project}/a/b`, { recursive: true });
    assertEquals(await findDataFolder(`${project}/a/b`), `${project}/Data`);
  } finally {
    await Deno.remove(project, { recursive: true });
  }
});

Deno.test("findDataFolder() creates ./Data when none is found, unless create is false", async () => {
  const start = await Deno.makeTempDir();
  try {
    const err = await assertRejects(() => findDataFolder(start, { create: false }), StorageError);
    assertEquals((err as StorageError).code, "not_found");
    assertEquals(await findDataFolder(start), `${start}/Data`);
    assert((await Deno.stat(`${start}/Data`)).isDirectory);
  } finally {
    await Deno.remove(start, { recursive: true });
  }
});

Deno.test("createRunFolder() enumerates Name1, Name2, … and continues after runs on disk", async () => {
  const group = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${group}/Exp7`);
    await Deno.mkdir(`${group}/Exp07x`); // not a run of Exp: ignored
    const a = await createRunFolder(group, "Exp");
    const b = await createRunFolder(group, "Exp");
    assertEquals([a.name, b.name], ["Exp8", "Exp9"]);
    assertEquals(a.path, `${group}/Exp8`);
  } finally {
    await Deno.remove(group, { recursive: true });
  }
});

Deno.test("createRunFolder() skips numbers taken by another process in O(log n) probes", async () => {
  const group = await Deno.makeTempDir();
  try {
    const first = await createRunFolder(group, "Gap"); // Gap1, and this process caches "next = 2"
    assertEquals(first.name, "Gap1");
    // Another process takes 2..300 behind our back.
    for (let i = 2; i <= 300; i++) await Deno.mkdir(`${group}/Gap${i}`);
    const originalLstat = Deno.lstat;
    let probes = 0;
    Deno.lstat = ((p: string | URL) => {
      probes++;
      return originalLstat(p);
    }) as typeof Deno.lstat;
    try {
      const next = await createRunFolder(group, "Gap");
      assertEquals(next.name, "Gap301");
    } finally {
      Deno.lstat = originalLstat;
    }
    assert(probes <= 20, `expected O(log n) probes, got ${probes}`);
  } finally {
    await Deno.remove(group, { recursive: true });
  }
});

Deno.test("createRunFolder() with a number uses it and refuses a folder that exists", async () => {
  const group = await Deno.makeTempDir();
  try {
    assertEquals((await createRunFolder(group, "N", { randomNr: 42 })).name, "N42");
    const err = await assertRejects(
      () => createRunFolder(group, "N", { randomNr: 42 }),
      StorageError,
      "StorageManager.open",
    );
    assertEquals((err as StorageError).code, "exists");
    assertEquals((await createRunFolder(group, "N", { folderName: "Other" })).name, "Other1");
  } finally {
    await Deno.remove(group, { recursive: true });
  }
});

Deno.test("createRunFolder() keeps drawing random names past 10,000 runs of one name", async () => {
  const group = await Deno.makeTempDir();
  try {
    // Occupy every 4-digit name: a random draw in 0..9999 always collides, so the width must grow.
    for (let i = 0; i < 10_000; i++) await Deno.mkdir(`${group}/R${i}`);
    const names = new Set<string>();
    for (let i = 0; i < 50; i++) {
      names.add((await createRunFolder(group, "R", { randomNr: true })).name);
    }
    assertEquals(names.size, 50);
    for (const n of names) assert(/^R\d{5,}$/.test(n) || /^R\d+$/.test(n), n);
  } finally {
    await Deno.remove(group, { recursive: true });
  }
});

Deno.test("run names with separators, .. or a leading dot are refused", () => {
  for (const bad of ["a/b", "a\\b", "..", "../x", ".hidden", " x", "x ", "", "a\nb"]) {
    assertThrows(() => validateName(bad), TypeError);
  }
  assertEquals(validateName("Exp_1-a.b"), "Exp_1-a.b");
});

async function runCreators(group: string, mode: string, procs: number, each: number) {
  const url = new URL("./fixtures/create_runs.ts", import.meta.url);
  const children = Array.from({ length: procs }, () =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "--allow-write", url.pathname, group, "C", String(each), mode],
      stdout: "piped",
      stderr: "piped",
    }).output());
  const outputs = await Promise.all(children);
  const names: string[] = [];
  for (const out of outputs) {
    assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
    names.push(...new TextDecoder().decode(out.stdout).trim().split("\n"));
  }
  return names;
}

for (const mode of ["enumerated", "random"]) {
  Deno.test(`several processes creating ${mode} runs at once lose none`, async () => {
    const group = await Deno.makeTempDir();
    try {
      const procs = 4, each = 100;
      const names = await runCreators(group, mode, procs, each);
      assertEquals(names.length, procs * each);
      assertEquals(new Set(names).size, procs * each, "two processes were given the same folder");
      const onDisk = [];
      for await (const e of Deno.readDir(group)) onDisk.push(e.name);
      assertEquals(onDisk.sort(), [...names].sort());
      if (mode === "enumerated") {
        const numbers = names.map((n) => Number(n.slice(1))).sort((a, b) => a - b);
        assertEquals(numbers, Array.from({ length: procs * each }, (_, i) => i + 1));
      }
    } finally {
      await Deno.remove(group, { recursive: true });
    }
  });
}
