// Starts a real single-node SLURM cluster (munged, slurmctld, slurmd from Debian's packages) for the tests,
// with its state and logs in a temp folder, and stops it afterwards.

import { accountingLines, slurmdbdInstalled, startSlurmdbd } from "./_slurmdbd.ts";

export interface Cluster {
  /** The folder holding slurm.conf, state and logs. */
  dir: string;
  /** Environment for SLURM's client commands (SLURM_CONF). */
  env: Record<string, string>;
  /** Stops the daemons and removes the folder. */
  stop(): Promise<void>;
}

async function sh(cmd: string, args: string[], env?: Record<string, string>) {
  const out = await new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped" }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

/**
 * Runs a daemon with no file descriptor but stdin/stdout/stderr: a daemon must not inherit the test's
 * open files, e.g. the lock of `flock /tmp/sweepstore-slurm.lock deno test …`, which a munged living on
 * would hold for ever.
 */
function daemon(args: string[], env?: Record<string, string>) {
  const closeFds =
    'for fd in /proc/$$/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-" 2>/dev/null; done; ' +
    'exec "$@"';
  return sh("bash", ["-c", closeFds, "bash", ...args], env);
}

/** Starts a program in the background (stdio to /dev/null), with no inherited file descriptor. */
function background(args: string[], env?: Record<string, string>) {
  const closeFds =
    'for fd in /proc/$$/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-" 2>/dev/null; done; ' +
    '"$@" </dev/null >/dev/null 2>&1 &';
  return sh("bash", ["-c", closeFds, "bash", ...args], env);
}

async function hostname(): Promise<string> {
  return (await sh("hostname", ["-s"])).stdout.trim();
}

/** Whether the SLURM daemons are installed (`.ci/run` installs them). */
export async function slurmInstalled(): Promise<boolean> {
  for (const bin of ["slurmctld", "slurmd", "sbatch", "squeue", "munged"]) {
    if ((await sh("sh", ["-c", `command -v ${bin} || test -x /usr/sbin/${bin}`])).code !== 0) {
      return false;
    }
  }
  return true;
}

/** How a test cluster differs from SLURM's defaults. */
export interface ClusterOptions {
  /** CPUs of the node. @default {navigator.hardwareConcurrency} */
  cpus?: number;
  /** `MaxArraySize` (array indices 0 … n-1 are accepted). @default {SLURM's 1001} */
  maxArraySize?: number;
  /** `JobRequeue`: with 0 only jobs submitted with `--requeue` can be requeued. @default {SLURM's 1} */
  jobRequeue?: 0 | 1;
  /**
   * `AuthInfo=cred_expire=N` (seconds): a credential's lifetime, and so how long a requeued job waits
   * before SLURM starts it again (slurm.conf(5)). Forcing an earlier start (`StartTime=now`) is not
   * the same: slurmd still holds the first attempt's credential as revoked and may refuse the
   * relaunch, and SLURM then ends the job FAILED. @default {SLURM's 120}
   */
  credExpire?: number;
  /**
   * Enforce memory limits without cgroups (the node gets `RealMemory` MiB): `CR_Core_Memory`,
   * `DefMemPerCPU`, `jobacct_gather/linux` every second, `OverMemoryKill`.
   */
  memoryMb?: number;
  /** Accounting through slurmdbd on a private MariaDB (`sacct` works; with MaxRSS every second). */
  accounting?: boolean;
}

/** Starts a cluster (a node with `cpus` CPUs, or the given options) and waits until the node is idle. */
export async function startCluster(
  options: number | ClusterOptions = {},
): Promise<Cluster> {
  const o = typeof options === "number" ? { cpus: options } : options;
  const cpus = o.cpus ?? navigator.hardwareConcurrency;
  const memory = o.memoryMb
    ? [
      "SelectTypeParameters=CR_Core_Memory",
      `DefMemPerCPU=${Math.floor(o.memoryMb / cpus)}`,
      "JobAcctGatherType=jobacct_gather/linux",
      "JobAcctGatherFrequency=task=1",
      "JobAcctGatherParams=OverMemoryKill",
    ]
    : ["SelectTypeParameters=CR_Core"];
  if (o.accounting && !(await slurmdbdInstalled(sh))) {
    throw new Error(
      "slurmdbd or MariaDB is not installed: apt-get install -y --no-install-recommends slurmdbd " +
        "mariadb-server (.ci/run does this)",
    );
  }
  const gather = o.accounting && !o.memoryMb
    ? ["JobAcctGatherType=jobacct_gather/linux", "JobAcctGatherFrequency=task=1"]
    : [];
  const dir = await Deno.makeTempDir({ prefix: "sweepstore-slurm-" });
  for (const sub of ["state", "spool", "log"]) await Deno.mkdir(`${dir}/${sub}`);
  const host = await hostname();
  const port = 17000 + Math.floor(Math.random() * 2000) * 4;
  const conf = `${dir}/slurm.conf`;
  await Deno.writeTextFile(
    conf,
    [
      "ClusterName=sweepstore-test",
      `SlurmctldHost=${host}(127.0.0.1)`,
      "SlurmUser=root",
      "SlurmdUser=root",
      "AuthType=auth/munge",
      ...(o.credExpire ? [`AuthInfo=cred_expire=${o.credExpire}`] : []),
      "ProctrackType=proctrack/linuxproc",
      "TaskPlugin=task/none",
      "SelectType=select/cons_tres",
      ...memory,
      ...(o.maxArraySize ? [`MaxArraySize=${o.maxArraySize}`] : []),
      ...(o.jobRequeue !== undefined ? [`JobRequeue=${o.jobRequeue}`] : []),
      ...gather,
      ...(o.accounting
        ? accountingLines(port + 2)
        : ["AccountingStorageType=accounting_storage/none"]),
      "JobCompType=jobcomp/filetxt",
      `JobCompLoc=${dir}/log/jobcomp.txt`,
      "SchedulerParameters=batch_sched_delay=0",
      "MinJobAge=3600",
      "KillWait=2",
      `StateSaveLocation=${dir}/state`,
      `SlurmdSpoolDir=${dir}/spool`,
      `SlurmctldPidFile=${dir}/slurmctld.pid`,
      `SlurmdPidFile=${dir}/slurmd.pid`,
      `SlurmctldLogFile=${dir}/log/slurmctld.log`,
      `SlurmdLogFile=${dir}/log/slurmd.log`,
      `SlurmctldPort=${port}`,
      `SlurmdPort=${port + 1}`,
      "ReturnToService=2",
      `NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpus}${
        o.memoryMb ? ` RealMemory=${o.memoryMb}` : ""
      } State=UNKNOWN`,
      "PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP",
      "",
    ].join("\n"),
  );
  const env = { SLURM_CONF: conf };
  // munged: as user munge, with its socket folder; one instance serves every test cluster.
  if ((await sh("sh", ["-c", "munge -n >/dev/null 2>&1"])).code !== 0) {
    await sh("sh", [
      "-c",
      "mkdir -p /run/munge /var/log/munge /var/lib/munge && chown munge:munge /run/munge /var/log/munge /var/lib/munge",
    ]);
    const m = await daemon(["su", "-s", "/bin/sh", "munge", "-c", "/usr/sbin/munged"]);
    if (m.code !== 0) throw new Error(`munged did not start: ${m.stderr}`);
  }
  const stopDbd = o.accounting
    ? await startSlurmdbd(dir, env, { dbd: port + 2, db: port + 3 }, sh, background)
    : undefined;
  for (const name of ["slurmctld", "slurmd"]) {
    const r = await daemon([`/usr/sbin/${name}`, "-f", conf], env);
    if (r.code !== 0) throw new Error(`${name} did not start: ${r.stderr}`);
  }
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // Jobs still running (a test that failed half-way) would outlive the daemons: slurmstepd and its
    // tasks do not end with slurmd, and a spinning array task would burn a core for ever. Cancel them all
    // and wait (KillWait=2) before stopping the daemons.
    // (`timeout`: a client waits for a controller that did not start for a minute.)
    await sh("timeout", ["5", "scancel", "--full", "--user", "root"], env).catch(() => {});
    for (let i = 0; i < 50; i++) {
      const queue = await sh("timeout", ["5", "squeue", "-h", "-o", "%i"], env)
        .catch(() => undefined);
      if (!queue || queue.code !== 0 || !queue.stdout.trim()) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const pidFile of ["slurmd.pid", "slurmctld.pid"]) {
      try {
        Deno.kill(Number((await Deno.readTextFile(`${dir}/${pidFile}`)).trim()), "SIGTERM");
      } catch { /* not running */ }
    }
    await new Promise((r) => setTimeout(r, 300));
    await stopDbd?.();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  for (let i = 0; i < 100; i++) {
    const info = await sh("sinfo", ["-h", "-o", "%T"], env);
    if (info.stdout.trim() === "idle") return { dir, env, stop };
    await new Promise((r) => setTimeout(r, 200));
  }
  const log = await Deno.readTextFile(`${dir}/log/slurmctld.log`).catch(() => "");
  await stop();
  throw new Error(`the SLURM node did not become idle:\n${log.slice(-2000)}`);
}
