/**
 * A slot's watchdog, a Web Worker (its own thread, so a simulation spinning in `while (true) {}` on the
 * main thread cannot stop it). It reads the slot's `watch` pipe, which the pool holds open and never
 * writes: the kernel ends the read when the pool's process dies, however it dies (SIGKILL included), so the
 * end comes at once, without polling. It then tells the main thread (which
 * aborts the run's `ctx.signal`), waits the grace period, marks the run in progress `interrupted`, kills
 * the slot's process group (the programs the simulation started, where `--allow-run` permits) and ends the
 * process with `Deno.exit`, which works from any thread.
 *
 * Why not poll the parent pid: `Deno.ppid` is read once at start-up, and `/proc/self/stat` needs
 * `--allow-all` in Deno; the pipe needs no more permissions than the slot has.
 *
 * @module
 */

/// <reference lib="deno.worker" />

let runPath: string | undefined;

async function watch(pipe: string, graceMs: number): Promise<void> {
  // The pool holds the pipe open from before the spawn: the open blocks only when the pool is gone.
  const opened = await Promise.race([
    Deno.open(pipe, { read: true }),
    new Promise<undefined>((r) => setTimeout(r, 5000)),
  ]);
  const buf = new Uint8Array(16);
  try {
    while (opened && (await opened.read(buf)) !== null) { /* the pool never writes here */ }
  } catch { /* closed: the pool is gone too */ }
  self.postMessage("gone");
  const marking = import("../run_record.ts"); // loads during the grace period
  await new Promise((r) => setTimeout(r, graceMs));
  if (runPath) {
    try {
      const { markRun } = await marking;
      await markRun(runPath, {
        status: "interrupted",
        reason: "interrupted",
        error:
          `the sweep's process ended while this run ran; it did not return within ${graceMs} ms ` +
          "after ctx.signal was aborted, and was killed",
      });
    } catch { /* the folder cannot be written: resume and status find the owner gone */ }
  }
  try {
    Deno.kill(-Deno.pid, "SIGKILL"); // the whole process group (needs --allow-run)
  } catch {
    // No full --allow-run: without run permission the simulation cannot have started programs; with a list
    // (`permissions.run: ["ffmpeg"]`) the programs it started may outlive the slot (documented).
  }
  Deno.exit(1);
}

self.onmessage = (e: MessageEvent) => {
  const msg = e.data;
  if (msg.t === "watch") {
    watch(msg.pipe, msg.graceMs).catch(() => Deno.exit(1));
  } else if (msg.t === "run") runPath = msg.path;
};
