// Parameter keys that configparser folds to one: refused with an error naming both, Python as the judge.
import { assert, assertEquals, assertRejects, assertThrows } from "./_assert.ts";
import { python, withTempDir } from "./_helpers.ts";
import { StorageManager } from "../src/run/storage_manager.ts";
import { checkParamKeys, paramKey } from "../src/run/param_keys.ts";

/** What Python's configparser reads from a config.ini: section → key → value. */
async function pythonReads(file: string): Promise<Record<string, Record<string, string>>> {
  const out = await python(
    `import configparser, json, sys
c = configparser.ConfigParser()
c.read(sys.argv[1], encoding='utf-8')
print(json.dumps({s: dict(c[s]) for s in c.sections()}))`,
    [file],
  );
  return JSON.parse(out);
}

Deno.test("saveParamDict({ Score, score }) is refused naming both keys; nothing is written", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("K", { dataFolder: dir });
    const before = await Deno.readTextFile(`${sm.path}/config.ini`);
    const err = await assertRejects(
      () => sm.saveParamDict({ Score: 1, score: 2 }),
      TypeError,
      '"Score" and "score" in [Parameters] are the same key',
    );
    assert(err.message.includes("rename one"), err.message);
    await assertRejects(
      () => sm.saveParamSections({ Parameters: { a: 1 }, Run: { Status: "x", STATUS: "y" } }),
      TypeError,
      '"Status" and "STATUS" in [Run]',
    );
    assertEquals(await Deno.readTextFile(`${sm.path}/config.ini`), before);
    // The same key in different sections is not a collision.
    await sm.saveParamSections({ Parameters: { Score: 1 }, Run: { score: 2 } });
    assertEquals(await pythonReads(`${sm.path}/config.ini`), {
      Parameters: { time: String(await sm.loadParam("time")), score: "1" },
      Run: { score: "2" },
    });
  });
});

Deno.test("create() with params whose keys collide is refused before any run folder is made", async () => {
  await withTempDir(async (dir) => {
    await assertRejects(
      () => StorageManager.create("C", { dataFolder: dir, params: { Parameters: { N: 1, n: 2 } } }),
      TypeError,
      '"N" and "n"',
    );
    const left = [];
    try {
      for await (const e of Deno.readDir(`${dir}/StorageManager/C`)) left.push(e.name);
    } catch (err) {
      assert(err instanceof Deno.errors.NotFound, String(err));
    }
    assertEquals(left, [], "no run folder without config.ini is left");
  });
});

Deno.test("saving Score when score exists replaces it, as configparser does (Python reads one key)", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("R", { dataFolder: dir });
    await sm.saveParam("score", 1);
    await sm.saveParam("Score", 2);
    assertEquals(await sm.loadParam("SCORE"), 2);
    const read = await pythonReads(`${sm.path}/config.ini`);
    assertEquals(read.Parameters.score, "2");
    assertEquals(Object.keys(read.Parameters), ["time", "score"]);
  });
});

Deno.test("configparser refuses a file with Score and score (why sweepstore refuses to write one)", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/c.ini`, "[Parameters]\nScore = 1\nscore = 2\n");
    const out = await python(
      `import configparser, sys
try:
    configparser.ConfigParser().read(sys.argv[1])
    print('read')
except configparser.DuplicateOptionError as e:
    print('DuplicateOptionError')`,
      [`${dir}/c.ini`],
    );
    assertEquals(out.trim(), "DuplicateOptionError");
  });
});

Deno.test("every accepted key is found by Python under the spelling it was saved with (ASCII and non-ASCII lower case)", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("A", { dataFolder: dir });
    const keys: string[] = [];
    for (let c = 0x21; c < 0x7f; c++) {
      const ch = String.fromCharCode(c);
      const key = `K${c}${ch}x${ch.toUpperCase()}`;
      try {
        paramKey(key);
        keys.push(key);
      } catch { /* refused keys ("=", ":", "/", …) are tested elsewhere */ }
    }
    keys.push("straße", "größe", "ärger", "ελληνικός", "中文", "émile_Ü".toLowerCase());
    const dict = Object.fromEntries(keys.map((k, i) => [k, i]));
    await sm.saveParamDict(dict);
    const out = await python(
      `import configparser, json, sys
c = configparser.ConfigParser()
c.read(sys.argv[1], encoding='utf-8')
keys = json.loads(sys.argv[2])
print(json.dumps([c.get('Parameters', k) for k in keys]))`,
      [`${sm.path}/config.ini`, JSON.stringify(keys)],
    );
    assertEquals(JSON.parse(out), keys.map((_, i) => String(i)));
    assert(keys.length > 80, `${keys.length} keys`);
  });
});

Deno.test("keys with an upper-case letter outside ASCII are refused: their lower case depends on the reader", async () => {
  // Python 3.11 and Deno lowercase these differently (Unicode 14 vs 16), or lowercasing changes the length.
  for (const key of ["Ärger", "İstanbul", "ΣΟΦΙΑ", "x\u1c89", "\ua7cb"]) {
    const err = assertThrows(() => paramKey(key), TypeError, "upper-case letter");
    assert(err.message.includes(JSON.stringify(key)), err.message);
  }
  const out = await python(
    `import json; print(json.dumps(['\\u0130'.lower(), '\\ua7cb'.lower(), 'ΟΔΟΣ'.lower()]))`,
  );
  const [dotted, newer, sigma] = JSON.parse(out);
  assert(
    dotted.length === 2 && "\u0130".toLowerCase().length === 2,
    "İ lowercases to two characters",
  );
  assert(
    newer === "\ua7cb" && "\ua7cb".toLowerCase() !== "\ua7cb",
    "Python 3.11 and Deno disagree",
  );
  assertEquals(sigma, "οδος".slice(0, 3) + "ς", "final sigma depends on the position");
});

Deno.test("checkParamKeys() folds keys in order and names both keys of a collision", () => {
  assertEquals(checkParamKeys(["N", "lr"], "the grid"), [["n", "N"], ["lr", "lr"]]);
  assertThrows(
    () => checkParamKeys(["lr", "LR"], "the grid"),
    TypeError,
    '"lr" and "LR" in the grid',
  );
});
