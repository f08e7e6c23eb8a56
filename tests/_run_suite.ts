/**
 * `deno task test`: the whole suite (tests, doc examples) with `TMPDIR` set to a fresh folder that is
 * removed afterwards. The doc examples make temporary Data folders they cannot clean up without hiding
 * what they show (~60 per run of `src/` alone), and a test killed half-way leaves its own: every run of
 * the suite used to leave hundreds of folders in /tmp. Options go to every `deno test` (e.g.
 * `deno task test --filter npy`; an option's value is never taken for a path, {@link VALUE_OPTIONS});
 * files or folders given (e.g. `deno task test tests/npy_test.ts`, `deno task test src/`) are run alone,
 * as one batch, instead of the suite (a path that does not exist is named, exit 2); what follows `--` goes
 * to the tests as their `Deno.args`. The summary of each batch is read from `deno test`'s pretty or dot
 * reporter (`--reporter tap` or `junit` is refused, exit 2, as is `--junit-path <file>` for the whole
 * suite, whose batches would each write the file over the last). Exits non-zero when any test failed.
 *
 *   deno run --allow-run --allow-read --allow-write --allow-env tests/_run_suite.ts [deno test options]
 *     [paths] [-- test arguments]
 *
 * Most of the suite's time is spent waiting (for processes to die, for the file system's timestamp
 * granularity to pass, for SLURM): the test files run in batches, two `deno test` processes at a time
 * (`SWEEPSTORE_TEST_JOBS`, default 2; 1 runs them one after another), each batch's output printed whole
 * when it ends, and one summary line `ok | N passed | N failed` last. Separate processes, not
 * `deno test --parallel`: tests change the process's environment and signal handlers. The SLURM tests
 * share one real cluster, so they run as one batch, alone, at the end.
 *
 * Each `deno test` runs in a session and process group of its own (`setsid`, util-linux): Ctrl-C, SIGTERM
 * and SIGHUP to this script are passed on to each group (the tests' own processes included), no batch
 * starts after them, and the temporary folders are still removed. What a batch's tests leave running is
 * killed when its `deno test` ends.
 */

const PERMISSIONS = ["--allow-read", "--allow-write", "--allow-run", "--allow-env", "--allow-sys"];
/** The doc examples of the package (the test files' own are run with their batch). */
const DOC_EXAMPLES = ["src/", "runner/", "mod.ts"];
/** Batches of test files run by the workers (besides the doc examples and the SLURM tests). */
const BATCHES = 12;

interface Batch {
  name: string;
  paths: string[];
}

interface Outcome {
  passed: number;
  failed: number;
  code: number;
}

/**
 * The `deno test` options (Deno 2.9.6, `deno test --help`) whose value may be the next argument, so that a
 * value is never taken for a path (`--retry 2`, `--import-map import_map.json`); `--lock` takes the next
 * argument only when it is not an option, as Deno does. tests/review26_suite_args_test.ts checks the list
 * against the `deno test --help` of the Deno running it.
 */
export const VALUE_OPTIONS: ReadonlySet<string> = new Set([
  "--filter",
  "--reporter",
  "--seed",
  "--junit-path",
  "--config",
  "-c",
  "--coverage-threshold",
  "--retry",
  "--repeats",
  "--shard",
  "--related",
  "--ext",
  "--import-map",
  "--node-modules-linker",
  "--cert",
  "--min-dep-age",
  "--inspect-publish-uid",
  "--location",
  "--preload",
  "--require",
  "--conditions",
  "--log-level",
  "-L",
]);
/** Options whose value is optional and, when given, may be the next argument (`--lock deno.lock`). */
export const OPTIONAL_VALUE_OPTIONS: ReadonlySet<string> = new Set(["--lock"]);

/** The suite's arguments: `deno test` options, the paths to run, and what follows `--` (the tests' `Deno.args`). */
export interface SuiteArgs {
  options: string[];
  paths: string[];
  /** The arguments after `--`, given to the tests as `Deno.args` (placed after the paths). */
  scriptArgs: string[];
}

/** The arguments split into `deno test` options, the paths (files, folders) to run, and the tests' own. */
export function splitArgs(args: readonly string[]): SuiteArgs {
  const options: string[] = [];
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") return { options, paths, scriptArgs: args.slice(i + 1) };
    if (arg.startsWith("-")) {
      options.push(arg);
      const next = args[i + 1];
      if (next === undefined) continue;
      if (VALUE_OPTIONS.has(arg) || (OPTIONAL_VALUE_OPTIONS.has(arg) && !next.startsWith("-"))) {
        options.push(next);
        i++;
      }
    } else paths.push(arg);
  }
  return { options, paths, scriptArgs: [] };
}

/** The value of option `name` in `options` (`--name v` or `--name=v`), the last one given. */
function optionValue(options: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  options.forEach((o, i) => {
    if (o === name) value = options[i + 1];
    else if (o.startsWith(`${name}=`)) value = o.slice(name.length + 1);
  });
  return value;
}

/**
 * Why the options cannot be run as asked, or `undefined`: the suite counts the tests from each batch's
 * summary line, which only the pretty and dot reporters print (with tap or junit every batch counted as
 * failed), and each batch of the whole suite would write a `--junit-path` file over the last one's (to
 * stdout, `-`, each batch's report is printed with its output).
 */
export function refusal(args: SuiteArgs): string | undefined {
  const reporter = optionValue(args.options, "--reporter");
  if (reporter !== undefined && reporter !== "pretty" && reporter !== "dot") {
    return `--reporter ${reporter}: the suite counts the tests from deno test's summary line, which ` +
      "only the pretty and dot reporters print; for a JUnit report use --junit-path <file> with the " +
      "test files named";
  }
  const junit = optionValue(args.options, "--junit-path");
  if (junit !== undefined && junit !== "-" && !args.paths.length) {
    return "--junit-path: the whole suite runs in batches, each of which would write the file over " +
      "the last one's; name the test files or folders to run (one batch), e.g. " +
      "deno task test --junit-path report.xml tests/";
  }
  return undefined;
}

/** The suite's batches: the doc examples, the test files in {@link BATCHES} batches, then SLURM's. */
function batches(): { parallel: Batch[]; alone: Batch[] } {
  const files = [...Deno.readDirSync("tests")]
    .filter((e) => e.isFile && /(_test|\.test)\.[jt]sx?$/.test(e.name))
    .map((e) => `tests/${e.name}`)
    .sort();
  const slurm = files.filter((f) => f.startsWith("tests/slurm_"));
  const others = files.filter((f) => !f.startsWith("tests/slurm_"));
  const parallel: Batch[] = [{ name: "doc examples", paths: DOC_EXAMPLES }];
  for (let b = 0; b < BATCHES; b++) {
    const paths = others.filter((_, i) => i % BATCHES === b); // neighbours (alike, as slow) apart
    if (paths.length) parallel.push({ name: `tests ${b + 1}/${BATCHES}`, paths });
  }
  return { parallel, alone: slurm.length ? [{ name: "SLURM tests", paths: slurm }] : [] };
}

/** An ANSI colour code (ESC [ … m). */
const COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

const running = new Set<Deno.ChildProcess>();
/** The signal that stopped the suite: no batch starts after it. */
let stoppedBy: Deno.Signal | undefined;

/** Sends `signal` to the process group `pgid` (a batch's `deno test` and what its tests started). */
function killGroup(pgid: number, signal: Deno.Signal): void {
  try {
    Deno.kill(-pgid, signal);
  } catch { /* the group is gone */ }
}

/** Runs one batch with its output in a file, then prints the output whole. */
async function runBatch(
  batch: Batch,
  args: SuiteArgs,
  tmp: string,
  logs: string,
): Promise<Outcome> {
  const log = `${logs}/${crypto.randomUUID()}.log`;
  const file = await Deno.open(log, { write: true, create: true });
  // its own session and process group (setsid execs in place: child.pid is the group): a signal reaches
  // the processes its tests started, and none outlives the batch
  const child = new Deno.Command("setsid", {
    args: [
      ...[Deno.execPath(), "test", ...PERMISSIONS, ...args.options, "--doc", ...batch.paths],
      ...(args.scriptArgs.length ? ["--", ...args.scriptArgs] : []),
    ],
    env: { TMPDIR: tmp },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  running.add(child);
  const copy = (stream: ReadableStream<Uint8Array>) =>
    stream.pipeTo(new WritableStream({ write: (chunk) => void file.writeSync(chunk) }));
  const copied = Promise.all([copy(child.stdout), copy(child.stderr)]);
  const { code } = await child.status;
  running.delete(child);
  killGroup(child.pid, "SIGKILL"); // what its tests left running
  await copied;
  file.close();
  const text = await Deno.readTextFile(log);
  console.log(`===== ${batch.name} (exit ${code}) =====`);
  console.log(text.trimEnd());
  // deno test colours its summary even into a pipe unless NO_COLOR is set: read it without the colours
  const plain = text.replace(COLOUR, "");
  const summary = [...plain.matchAll(/^(?:ok|FAILED) \| (\d+) passed.*?\| (\d+) failed/gm)].at(-1);
  if (!summary) return { passed: 0, failed: 1, code: code || 1 }; // crashed before its summary
  return { passed: Number(summary[1]), failed: Number(summary[2]), code };
}

/** Runs the batches with `jobs` at a time. */
async function runAll(
  list: Batch[],
  jobs: number,
  args: SuiteArgs,
  tmp: string,
  logs: string,
): Promise<Outcome[]> {
  const queue = [...list];
  const outcomes: Outcome[] = [];
  const worker = async () => {
    for (let batch = queue.shift(); batch && !stoppedBy; batch = queue.shift()) {
      outcomes.push(await runBatch(batch, args, tmp, logs));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  return outcomes;
}

/** Runs the suite (or the paths given) with `argv`; exits with 2 for bad arguments, else 1 when any test failed. */
async function main(argv: readonly string[]): Promise<never> {
  const args = splitArgs(argv);
  const { paths } = args;
  const refused = refusal(args);
  if (refused) {
    console.error(refused);
    Deno.exit(2);
  }
  const missing = paths.filter((p) => {
    try {
      Deno.statSync(p);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length) {
    console.error(
      `no such test file or folder: ${
        missing.join(", ")
      } (give test paths, e.g. tests/npy_test.ts)`,
    );
    Deno.exit(2);
  }
  const jobs = Number(Deno.env.get("SWEEPSTORE_TEST_JOBS") ?? 2);
  if (!Number.isInteger(jobs) || jobs < 1) {
    console.error(`SWEEPSTORE_TEST_JOBS must be a whole number ≥ 1, not ${jobs}`);
    Deno.exit(2);
  }
  const tmp = await Deno.makeTempDir({ prefix: "sweepstore-suite-" });
  const logs = await Deno.makeTempDir({ prefix: "sweepstore-suite-logs-" });
  // Ctrl-C (the deno tests have sessions of their own: passed on), SIGTERM, SIGHUP: passed on to each
  // batch's process group; no batch starts after it; the temporary folders are removed
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    Deno.addSignalListener(signal, () => {
      stoppedBy ??= signal;
      for (const child of running) killGroup(child.pid, signal);
    });
  }
  const started = Date.now();
  const { parallel, alone } = paths.length
    ? { parallel: [{ name: paths.join(" "), paths }], alone: [] }
    : batches();
  const outcomes = [
    ...await runAll(parallel, jobs, args, tmp, logs),
    ...await runAll(alone, 1, args, tmp, logs),
  ];
  for (const dir of [tmp, logs]) {
    try {
      await Deno.remove(dir, { recursive: true });
    } catch (err) {
      console.error(`warning: could not remove the suite's temporary folder ${dir}: ${err}`);
    }
  }
  const passed = outcomes.reduce((n, o) => n + o.passed, 0);
  const failed = outcomes.reduce((n, o) => n + o.failed, 0);
  const bad = outcomes.some((o) => o.code !== 0) || failed > 0 || stoppedBy !== undefined;
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const stopped = stoppedBy ? `, stopped by ${stoppedBy}: batches left out` : "";
  console.log(
    `\n${bad ? "FAILED" : "ok"} | ${passed} passed | ${failed} failed (${minutes} min${stopped})`,
  );
  Deno.exit(bad ? 1 : 0);
}

if (import.meta.main) await main(Deno.args);
