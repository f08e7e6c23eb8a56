// SLURM's accounting for a test cluster: a private MariaDB (its data in the cluster's temp folder,
// listening on 127.0.0.1 only, no grant tables) and slurmdbd on it, so that `sacct` works as on a real
// cluster. Debian's packages: mariadb-server, slurmdbd.

type Sh = (
  cmd: string,
  args: string[],
  env?: Record<string, string>,
) => Promise<{ code: number; stdout: string; stderr: string }>;

/** Whether MariaDB and slurmdbd are installed. */
export async function slurmdbdInstalled(sh: Sh): Promise<boolean> {
  const r = await sh("sh", ["-c", "test -x /usr/sbin/slurmdbd && command -v mariadb-install-db"]);
  return r.code === 0;
}

/** The slurm.conf lines that send the cluster's accounting to slurmdbd on `port`. */
export function accountingLines(port: number): string[] {
  return [
    "AccountingStorageType=accounting_storage/slurmdbd",
    "AccountingStorageHost=localhost",
    `AccountingStoragePort=${port}`,
  ];
}

async function until(what: string, check: () => Promise<boolean>, log: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  const tail = await Deno.readTextFile(log).catch(() => "");
  throw new Error(`${what} did not start:\n${tail.slice(-2000)}`);
}

/**
 * Starts MariaDB and slurmdbd for the cluster in `dir` (slurm.conf is `env.SLURM_CONF`, slurmdbd.conf is
 * written next to it) and registers the cluster. Returns how to stop both.
 */
export async function startSlurmdbd(
  dir: string,
  env: Record<string, string>,
  ports: { db: number; dbd: number },
  sh: Sh,
  background: (args: string[], env?: Record<string, string>) => Promise<unknown>,
): Promise<() => Promise<void>> {
  const db = `${dir}/db`;
  const init = await sh("mariadb-install-db", [
    "--user=root",
    `--datadir=${db}`,
    "--auth-root-authentication-method=normal",
    "--skip-test-db",
  ]);
  if (init.code !== 0) throw new Error(`mariadb-install-db failed: ${init.stderr}`);
  await background([
    "mariadbd",
    "--user=root",
    `--datadir=${db}`,
    `--socket=${dir}/mysql.sock`,
    `--port=${ports.db}`,
    "--bind-address=127.0.0.1",
    `--pid-file=${dir}/mariadb.pid`,
    "--skip-grant-tables",
    `--log-error=${dir}/log/mariadb.log`,
  ]);
  const stop = async () => {
    for (const pidFile of ["slurmdbd.pid", "mariadb.pid"]) {
      try {
        Deno.kill(Number((await Deno.readTextFile(`${dir}/${pidFile}`)).trim()), "SIGTERM");
      } catch { /* not running */ }
      await new Promise((r) => setTimeout(r, 300));
    }
  };
  try {
    const sql = ["--protocol=tcp", "-h", "127.0.0.1", "-P", String(ports.db), "-u", "root"];
    await until(
      "MariaDB",
      async () => (await sh("mariadb", [...sql, "-e", "select 1"])).code === 0,
      `${dir}/log/mariadb.log`,
    );
    const conf = `${dir}/slurmdbd.conf`;
    await Deno.writeTextFile(
      conf,
      [
        "AuthType=auth/munge",
        "DbdHost=localhost",
        "DbdAddr=127.0.0.1",
        `DbdPort=${ports.dbd}`,
        "SlurmUser=root",
        "StorageType=accounting_storage/mysql",
        "StorageHost=127.0.0.1",
        `StoragePort=${ports.db}`,
        "StorageUser=root",
        "StorageLoc=slurm_acct_db",
        `PidFile=${dir}/slurmdbd.pid`,
        `LogFile=${dir}/log/slurmdbd.log`,
        "",
      ].join("\n"),
      { mode: 0o600 },
    );
    await background(["/usr/sbin/slurmdbd"], env);
    await until(
      "slurmdbd",
      async () =>
        (await sh("sacctmgr", ["-i", "add", "cluster", "sweepstore-test"], env)).code === 0,
      `${dir}/log/slurmdbd.log`,
    );
  } catch (err) {
    await stop(); // nothing of it is left running
    throw err;
  }
  return stop;
}
