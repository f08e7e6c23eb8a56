// Shared helpers for the tests: temp folders, running python3 and deno subprocesses, ffprobe.
import { assertEquals } from "./_assert.ts";

/** Runs `fn` with a fresh temp folder and removes it afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "sweepstore-test-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/**
 * Runs a Python script with `python3` (numpy available; `exe` for another, e.g. Debian's `/usr/bin/python3`,
 * which has pandas) and returns its stdout; throws with stderr on failure.
 */
export async function python(
  script: string,
  args: string[] = [],
  exe = "python3",
): Promise<string> {
  const out = await new Deno.Command(exe, {
    args: ["-c", script, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  if (out.code !== 0) {
    throw new Error(`python3 failed (exit ${out.code}):\n${dec.decode(out.stderr)}`);
  }
  return dec.decode(out.stdout);
}

/** Runs a command and returns its exit code, stdout and stderr as text. */
export async function run(
  cmd: string,
  args: string[],
  options: { cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(cmd, {
    args,
    cwd: options.cwd,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/**
 * The first stream of a video as real `ffprobe -count_frames -show_streams` reports it (`codec_name`,
 * `pix_fmt`, `width`, `height`, `nb_read_frames`, `r_frame_rate`, …); asserts that ffprobe succeeded.
 */
// deno-lint-ignore no-explicit-any
export async function probeVideo(mp4: string): Promise<Record<string, any>> {
  const probe = await run("ffprobe", [
    ...["-v", "error", "-count_frames", "-show_streams", "-of", "json", mp4],
  ]);
  assertEquals(probe.code, 0, probe.stderr);
  return JSON.parse(probe.stdout).streams[0];
}

/** The path of a fixture script in tests/fixtures/. */
export function fixture(name: string): string {
  return new URL(`./fixtures/${name}`, import.meta.url).pathname;
}

/**
 * Whether a process is still running (not gone, not a zombie). Asks `ps` (which reads /proc): Deno 2.9 lets
 * only `--allow-all` read /proc/<pid>/stat, and a helper that swallowed that refusal said "not alive" for
 * every process.
 */
export async function alive(pid: number): Promise<boolean> {
  const out = await new Deno.Command("ps", {
    args: ["-o", "stat=", "-p", String(pid)],
    stdout: "piped",
    stderr: "null",
  }).output();
  const stat = new TextDecoder().decode(out.stdout).trim();
  return out.code === 0 && stat !== "" && !stat.startsWith("Z"); // a zombie runs no more
}

/** `deno` arguments that run the sweepstore CLI with `args`, with the permissions of `deno task sweepstore`. */
export function cliArgs(args: string[]): string[] {
  const entry = new URL("../runner/cli/cli.ts", import.meta.url).pathname;
  return ["run", "--allow-read", "--allow-write", "--allow-run", entry, ...args];
}

/** The sweepstore CLI (`runner/cli/cli.ts`) with the permissions of `deno task sweepstore`, as a process. */
export function cli(
  args: string[],
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(Deno.execPath(), cliArgs(args), { cwd });
}

/** A started CLI process (`cli`'s permissions) and its whole output, for tests that signal it while it runs. */
export function spawnCli(args: string[]): {
  child: Deno.ChildProcess;
  output: Promise<{ code: number; stdout: string; stderr: string }>;
} {
  const child = new Deno.Command(Deno.execPath(), {
    args: cliArgs(args),
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const dec = new TextDecoder();
  const output = child.output().then((o) => ({
    code: o.code,
    stdout: dec.decode(o.stdout),
    stderr: dec.decode(o.stderr),
  }));
  return { child, output };
}

/**
 * Runs `fn` with a Data folder on a real, full 1 MiB tmpfs (root only): `<Data>/StorageManager/<name>`
 * exists, and what is left of the disk is less than a config.ini. Unmounted afterwards.
 */
export async function withFullDisk(
  name: string,
  fn: (data: string) => Promise<void>,
): Promise<void> {
  await withTempDir(async (dir) => {
    const mount = await run("mount", ["-t", "tmpfs", "-o", "size=1M", "tmpfs", dir]);
    if (mount.code !== 0) throw new Error(`mounting a tmpfs needs root: ${mount.stderr}`);
    try {
      const data = `${dir}/Data`;
      await Deno.mkdir(`${data}/StorageManager/${name}`, { recursive: true });
      const filler = await Deno.open(`${dir}/filler`, { write: true, create: true });
      const block = new Uint8Array(4096);
      try {
        while (true) await filler.write(block);
      } catch (err) {
        if (!String(err).includes("No space left")) throw err;
      } finally {
        filler.close();
      }
      await fn(data);
    } finally {
      await run("umount", ["-l", dir]);
    }
  });
}

/** A Python float's repr (`nan`, `inf`, `-inf`, digits) as a JavaScript number. */
export function pyFloat(repr: string): number {
  return repr === "nan"
    ? NaN
    : repr === "inf"
    ? Infinity
    : repr === "-inf"
    ? -Infinity
    : Number(repr);
}
