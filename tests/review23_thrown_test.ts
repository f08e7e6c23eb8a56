// Session 23's review of issue 8 as a hostile user: "a simulation that throws non-Error values".
// Before the fix, a thrown value whose description itself throws (an object whose toString throws, a
// null-prototype object, a Proxy, an Error whose message / stack / name getter throws) escaped runTask's
// catch: the slot process died with "Uncaught (in promise)", the run was blamed on `exit` (code 1) instead
// of `exception`, and the slot had to be restarted. A thrown 10 MB string was copied whole into config.ini,
// runs.csv, summary.csv, summary.json and report.html (21 MB). Real processes: the CLI runs the sweep in
// its slots; Python's configparser reads the run folders.
import { assert, assertEquals } from "./_assert.ts";
import { cli, python, withTempDir } from "./_helpers.ts";

const SIM = `
export async function simulate(p) {
  switch (p.k) {
    case 0: throw { toString() { throw new Error("toString boom"); } };
    case 1: throw Object.create(null);
    case 2: throw new Proxy({}, { get() { throw new Error("get"); }, getPrototypeOf() { throw new Error("proto"); } });
    case 3: { const e = new Error("x"); Object.defineProperty(e, "stack", { get() { throw 2; } }); throw e; }
    case 4: { const e = new Error("x"); Object.defineProperty(e, "message", { get() { throw 1; } }); Object.defineProperty(e, "stack", { value: undefined }); throw e; }
    case 5: { const e = new Error("n"); e.name = { toString() { throw 3; } }; Object.defineProperty(e, "stack", { value: undefined }); throw e; }
    case 6: throw "x".repeat(10_000_000);
    case 7: throw new Error("y".repeat(10_000_000));
  }
  return { score: 1 };
}
`;

const READ = `
import configparser, glob, json, os, sys
out = []
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*", "config.ini"))):
    c = configparser.ConfigParser(interpolation=None)
    c.read(f)
    run = c["Run"]
    out.append({"k": int(c["Parameters"]["k"]), "status": run["status"], "reason": run.get("reason"),
                "error": run.get("error", ""), "size": os.path.getsize(f), "pid": run.get("pid")})
print(json.dumps(out))
`;

Deno.test("thrown values that cannot be described, or are huge: reason exception, the slot lives, the error bounded", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/sim.ts`, SIM);
    const res = await cli(
      [
        "run",
        "sim.ts",
        "--name",
        "Thrown",
        "--grid",
        "k=0,1,2,3,4,5,6,7",
        "-j",
        "1",
        "--no-progress",
      ],
      dir,
    );
    assertEquals(res.code, 1, res.stderr);
    const runs: {
      k: number;
      status: string;
      reason: string;
      error: string;
      size: number;
      pid: string;
    }[] = JSON
      .parse(await python(READ, [`${dir}/Data/StorageManager/Thrown`]));
    assertEquals(runs.map((r) => r.k).sort(), [0, 1, 2, 3, 4, 5, 6, 7]);
    for (const r of runs) {
      assertEquals([r.k, r.status, r.reason], [r.k, "failed", "exception"], r.error.slice(0, 400));
      assert(
        !r.error.includes("exited with code"),
        `k=${r.k}: blamed on the slot's exit: ${r.error}`,
      );
      assert(r.error.length > 0, `k=${r.k}: no error text`);
      assert(r.size < 100_000, `k=${r.k}: config.ini of ${r.size} bytes`);
    }
    assert(/cut/.test(runs.find((r) => r.k === 6)!.error), "the cut error says it was cut");
    for (const file of ["runs.csv", "summary.csv", "summary.json"]) {
      const size = (await Deno.stat(`${dir}/Data/StorageManager/Thrown/${file}`)).size;
      assert(size < 1_000_000, `${file}: ${size} bytes`);
    }
    // one slot (-j 1) ran all eight runs: it never died
    assertEquals(new Set(runs.map((r) => r.pid)).size, 1, JSON.stringify(runs.map((r) => r.pid)));
  });
});
