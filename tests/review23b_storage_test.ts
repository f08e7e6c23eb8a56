/**
 * Review of session 23 (b): a file where the runner's folders should be. Before, a file in place of the
 * Data folder's `StorageManager`, the group's folder or its `.sweepstore` made the local backend reject
 * with Deno's raw `NotADirectory` (from a slot's mkdir, naming no option and no fix); and with `resume`, a
 * file in place of `.sweepstore/claims` crashed every slot with an uncaught rejection, so each run was
 * `failed`/`exit` with a stack trace as its error. Now the first is a `StorageError` naming the folder,
 * and the second fails each run `storage` with a message naming the claims folder (nothing runs, as with
 * an owner lock that cannot be made).
 */
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { runSweep } from "../runner/mod.ts";
import { StorageError } from "../src/errors.ts";

const SIM = new URL("./fixtures/sims/engine_sims.ts", import.meta.url).pathname;

async function sweepError(dataFolder: string): Promise<unknown> {
  try {
    await runSweep({
      name: "Blocked",
      simulation: SIM,
      dataFolder,
      grid: { mode: ["sleep"], ms: [10] },
    });
  } catch (err) {
    return err;
  }
  return undefined;
}

for (
  const [what, file] of [
    ["StorageManager", "StorageManager"],
    ["the group's folder", "StorageManager/Blocked"],
    ["the group's .sweepstore", "StorageManager/Blocked/.sweepstore"],
  ]
) {
  Deno.test(`a file where ${what} should be: runSweep rejects with a StorageError naming the folder`, async () => {
    await withTempDir(async (dataFolder) => {
      await Deno.mkdir(`${dataFolder}/${file}/..`, { recursive: true });
      await Deno.remove(`${dataFolder}/${file}`, { recursive: true }).catch(() => {});
      await Deno.writeTextFile(`${dataFolder}/${file}`, "not a folder");
      const err = await sweepError(dataFolder);
      assert(err instanceof StorageError, `a StorageError, not ${err}`);
      assert(err.message.includes(`${dataFolder}/StorageManager/Blocked`), err.message);
      assert(/move away a file/.test(err.message), `the message says what to do: ${err.message}`);
    });
  });
}

Deno.test("resume with a file where .sweepstore/claims should be: each run fails `storage` naming the folder", async () => {
  await withTempDir(async (dataFolder) => {
    const claims = `${dataFolder}/StorageManager/Claims/.sweepstore/claims`;
    await Deno.mkdir(`${dataFolder}/StorageManager/Claims/.sweepstore`, { recursive: true });
    await Deno.writeTextFile(claims, "not a folder");
    const result = await runSweep({
      name: "Claims",
      simulation: SIM,
      dataFolder,
      grid: { mode: ["sleep"], ms: [10], i: [1, 2, 3] },
      concurrency: 2,
      resume: true,
    });
    assertEquals(result.runs.length, 3);
    for (const r of result.runs) {
      assertEquals([r.status, r.reason, r.path], ["failed", "storage", ""]);
      assert(r.error?.startsWith(`cannot take the point claim ${claims}/`), r.error);
      assert(!r.error?.includes("Uncaught"), `no crash: ${r.error}`);
    }
    assertEquals(result.group.runs.length, 0, "nothing ran");
  });
});
