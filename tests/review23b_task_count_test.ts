/**
 * Review of session 23 (b): a sweep far too large to run — `samples: 1e12`, a grid of 100^7 points,
 * `repeats: 2**31` — was accepted, and the parent then made its tasks one by one (synchronously: not even
 * `signal` could stop it) for hours until it ran out of memory. Now `runSweep` counts the tasks before
 * making any and refuses more than a sweep can number (2**31 - 1, its records' 32-bit run numbers) with a
 * RangeError naming the options. Each sweep runs in a child process (a user's program) with a deadline.
 */
import { assert, assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";

const SIM = new URL("./fixtures/sims/engine_sims.ts", import.meta.url).pathname;
const RUNNER = new URL("../runner/mod.ts", import.meta.url).href;

const HUGE: Record<string, Record<string, unknown>> = {
  "samples: 1e12": { random: { x: { min: 0, max: 1 } }, samples: 1e12 },
  "a grid of 100^7 points": {
    grid: Object.fromEntries(
      Array.from({ length: 7 }, (_, i) => [`p${i}`, Array.from({ length: 100 }, (_, k) => k)]),
    ),
  },
  "repeats: 2**31": { points: [{ x: 1 }], repeats: 2 ** 31 },
};

for (const [what, spec] of Object.entries(HUGE)) {
  Deno.test(`${what}: runSweep refuses it at once with a RangeError naming the options`, async () => {
    await withTempDir(async (dataFolder) => {
      const options = { name: "Huge", simulation: SIM, dataFolder, ...spec };
      const program = `
        import { runSweep } from ${JSON.stringify(RUNNER)};
        try {
          await runSweep(${JSON.stringify(options)});
          console.log("ran");
        } catch (err) {
          console.log(JSON.stringify([err.constructor.name, err.message]));
        }
      `;
      const child = new Deno.Command(Deno.execPath(), {
        args: ["eval", "--ext=ts", program],
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const deadline = setTimeout(() => child.kill("SIGKILL"), 60_000);
      const out = await child.output();
      clearTimeout(deadline);
      assert(out.signal === null, `still making tasks after 60 s (killed): ${what}`);
      const [kind, message] = JSON.parse(new TextDecoder().decode(out.stdout));
      assertEquals(kind, "RangeError", message);
      assert(/The sweep has \d+ tasks .*more than one sweep can number/.test(message), message);
      assertEquals([...Deno.readDirSync(dataFolder)], [], "nothing was made");
    });
  });
}
