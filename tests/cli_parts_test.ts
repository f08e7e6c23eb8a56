// Parts of the CLI that need no sweep: the stop handlers (real signals sent to this process), the mapping
// of errors to messages and exit codes, and help generated from the option specs.
import { assert, assertEquals } from "./_assert.ts";
import { run } from "./_helpers.ts";
import { installStopHandlers, SIGNAL_EXIT_CODES, type StopSignal } from "../runner/cli/_signals.ts";
import { describeError, UsageError } from "../runner/cli/errors.ts";
import { StorageError } from "../src/errors.ts";
import { CommanderError } from "@commander-js/extra-typings";

const CLI = new URL("../runner/cli/cli.ts", import.meta.url).pathname;

Deno.test("the first signal aborts the sweep's signal and prints one line; the second forces", async () => {
  const notes: string[] = [];
  const forced: [StopSignal, StopSignal][] = [];
  const stop = installStopHandlers({
    graceMs: 2500,
    note: (line) => notes.push(line),
    force: (first, second) => forced.push([first, second]),
  });
  try {
    assert(!stop.signal.aborted && stop.received === undefined);
    Deno.kill(Deno.pid, "SIGHUP");
    // A signal listener does not keep the event loop alive: poll.
    const end = Date.now() + 10_000;
    while (!stop.signal.aborted && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    assert(stop.signal.aborted, "SIGHUP aborted the sweep's signal");
    assertEquals(stop.received, "SIGHUP");
    assertEquals(notes.length, 1);
    assert(notes[0].includes("SIGHUP: stopping") && notes[0].includes("2.5s"), notes[0]);
    assert(notes[0].includes(`kill -HUP ${Deno.pid}`), notes[0]);
    Deno.kill(Deno.pid, "SIGTERM");
    while (!forced.length && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    assertEquals(forced, [["SIGHUP", "SIGTERM"]]);
    assertEquals(notes.length, 1, "the second signal prints no second stop notice");
  } finally {
    stop.dispose();
  }
  assertEquals(SIGNAL_EXIT_CODES, { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 });
});

Deno.test("errors map to one message and an exit code: usage 2, failures 1, help 0", () => {
  const usage = describeError(new UsageError("--repeats 0: expected a whole number ≥ 1", "run"));
  assertEquals(usage, {
    exitCode: 2,
    message: "sweepstore: --repeats 0: expected a whole number ≥ 1 (see 'sweepstore run --help')",
  });
  const unknown = describeError(
    new CommanderError(1, "commander.unknownOption", "error: unknown option '--x'"),
    "report",
  );
  assertEquals(unknown.exitCode, 2);
  assertEquals(
    unknown.message,
    "sweepstore: unknown option '--x' (see 'sweepstore report --help')",
  );
  assertEquals(describeError(new CommanderError(0, "commander.helpDisplayed", "(outputHelp)")), {
    exitCode: 0,
    message: "",
  });
  assertEquals(describeError(new RangeError("concurrency must be ≥ 1")).exitCode, 2);
  const corrupt = describeError(new SyntaxError("Unexpected end of JSON input"));
  assertEquals(corrupt.exitCode, 1, "a corrupt file is not a usage error");
  const storage = describeError(
    new StorageError("cannot write /x: read-only", { code: "permission" }),
  );
  assertEquals(storage, { exitCode: 1, message: "sweepstore: cannot write /x: read-only" });
  const os = describeError(new Deno.errors.PermissionDenied("Permission denied: '/d'"));
  assertEquals(os.exitCode, 1);
  assert(os.message.includes("make it writable"), os.message);
  for (const r of [usage, unknown, corrupt, storage, os]) assert(!r.message.includes("\n    at "));
});

Deno.test("help is generated from the option specs: every command, the same through 'help <command>'", async () => {
  const cli = (args: string[]) =>
    run(Deno.execPath(), ["run", "--allow-read", "--allow-write", "--allow-run", CLI, ...args]);
  const runHelp = await cli(["run", "--help"]);
  assertEquals(runHelp.code, 0, runHelp.stderr);
  for (
    const option of [
      "--grid <KEY=V1,V2,…>",
      "--grace <duration>",
      "-j, --concurrency <n>",
      "--no-wait",
    ]
  ) {
    assert(runHelp.stdout.includes(option), `${option} missing from:\n${runHelp.stdout}`);
  }
  assert(runHelp.stdout.includes("the same KEY twice is refused"), runHelp.stdout);
  assert(runHelp.stdout.includes("nan, inf, -inf, -0"), runHelp.stdout);
  assert(runHelp.stdout.includes("130 / 143 / 129"), runHelp.stdout);
  assertEquals((await cli(["help", "run"])).stdout, runHelp.stdout);
  for (const command of ["report", "plot", "ls", "status", "collect"]) {
    const help = await cli([command, "--help"]);
    assertEquals(help.code, 0, help.stderr);
    assert(help.stdout.startsWith(`Usage: sweepstore ${command}`), help.stdout);
    assert(help.stdout.includes("--data <dir>"), help.stdout);
  }
  const main = await cli([]);
  assertEquals(main.code, 0);
  for (const command of ["run", "report", "plot", "ls", "status", "collect"]) {
    assert(main.stdout.includes(`  ${command} `), main.stdout);
  }
});
