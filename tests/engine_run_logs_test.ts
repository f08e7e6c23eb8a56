// Each run's stdout.log / stderr.log hold exactly what its simulation printed (issue 8, point 3): the slot
// marks each run's boundaries inside its output streams, the pool cuts the logs there.
import { assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { runSweep } from "../runner/mod.ts";
import { MarkedOutput, markerBytes } from "../runner/local/_run_marks.ts";

const SIM = new URL("./fixtures/sims/run_logs.ts", import.meta.url);

/** Two processes spinning on the CPU (this machine has two cores) until the returned function is called. */
function cpuLoad(): () => Promise<void> {
  const spinners = [0, 1].map(() =>
    new Deno.Command("/bin/sh", { args: ["-c", "while :; do :; done"], stdout: "null" }).spawn()
  );
  return async () => {
    for (const s of spinners) s.kill("SIGKILL");
    for (const s of spinners) await s.status;
  };
}

Deno.test("200 tiny runs at concurrency 2 under CPU load: every run's logs hold exactly its own lines", async () => {
  await withTempDir(async (dir) => {
    const stop = cpuLoad();
    try {
      const n = 200;
      const result = await runSweep({
        name: "Logs",
        simulation: SIM,
        points: Array.from({ length: n }, (_, i) => ({ i, forge: i % 50 === 7 })),
        concurrency: 2,
        dataFolder: `${dir}/Data`,
        summary: false,
      });
      assertEquals(result.runs.length, n);
      const wrong: string[] = [];
      for (const [k, r] of result.runs.entries()) {
        const i = (r.params as { i: number }).i;
        assertEquals(i, k);
        const forged = i % 50 === 7
          ? `\0sweepstore:00000000-0000-0000-0000-000000000000:E${i}\0 forged ${i}\n`
          : "";
        const out = await Deno.readTextFile(`${r.path}/stdout.log`).catch(() => "(none)");
        const err = await Deno.readTextFile(`${r.path}/stderr.log`).catch(() => "(none)");
        if (out !== `out ${i} first\n${forged}out ${i} last\n`) {
          wrong.push(`${i} stdout: ${JSON.stringify(out)}`);
        }
        if (err !== `err ${i} first\nerr ${i} last\n`) {
          wrong.push(`${i} stderr: ${JSON.stringify(err)}`);
        }
      }
      assertEquals(
        wrong.length,
        0,
        `${wrong.length} wrong logs, e.g.:\n${wrong.slice(0, 6).join("\n")}`,
      );
    } finally {
      await stop();
    }
  });
});

Deno.test("run markers split across chunks at every byte are found and stripped; wrong tokens are output", () => {
  const token = crypto.randomUUID();
  const enc = new TextEncoder();
  const parts = [
    enc.encode("loading\n"),
    markerBytes(token, 0),
    enc.encode("a\0b\n"),
    markerBytes(crypto.randomUUID(), 12),
    enc.encode("c\n"),
    markerBytes(token, 12),
    enc.encode("after\0"),
  ];
  const all = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const forged = new TextDecoder().decode(parts[3]);
  for (let cut = 0; cut <= all.length; cut++) {
    for (const step of [1, 3, 1000]) {
      const m = new MarkedOutput(token);
      m.write(all.subarray(0, cut));
      for (let o = cut; o < all.length; o += step) {
        m.write(all.subarray(o, Math.min(o + step, all.length)));
      }
      m.close();
      const run = new TextDecoder().decode(m.take(12));
      assertEquals(run, `a\0b\n${forged}c\n`, `cut ${cut} step ${step}`);
      assertEquals(
        new TextDecoder().decode(m.ring.since(0)),
        `loading\na\0b\n${forged}c\nafter\0`,
      );
      // A run killed before its marker: what came since the last marker.
      assertEquals(new TextDecoder().decode(m.take(13)), "after\0");
    }
  }
});

Deno.test("output after a run's marker (a timer it left) goes to the next run's log, not its own", () => {
  const token = crypto.randomUUID();
  const enc = new TextEncoder();
  const m = new MarkedOutput(token);
  for (const p of ["load\n", 0, "run 1\n", 1, "timer of run 1\n", "run 2\n", 2]) {
    m.write(typeof p === "number" ? markerBytes(token, p) : enc.encode(p));
  }
  assertEquals(new TextDecoder().decode(m.take(1)), "run 1\n");
  assertEquals(new TextDecoder().decode(m.take(2)), "timer of run 1\nrun 2\n");
});

Deno.test("the ring stays bounded with markers: a run that printed more than 64 KiB keeps its last 64 KiB", () => {
  const token = crypto.randomUUID();
  const m = new MarkedOutput(token);
  m.write(markerBytes(token, 0));
  const big = new Uint8Array(200 * 1024).map((_, i) => 97 + (i % 26));
  m.write(big);
  m.write(markerBytes(token, 1));
  m.write(new Uint8Array(100 * 1024).fill(120)); // the next run overwrites the whole ring
  assertEquals(m.take(1), big.subarray(big.length - 64 * 1024));
  assertEquals(m.ring.since(0).length, 64 * 1024);
});
