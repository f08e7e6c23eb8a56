/**
 * A slot's watchdog, a Web Worker (its own thread, so a simulation spinning in `while (true) {}` on the
 * main thread cannot stop it). It reads the slot's `watch` pipe, which the pool holds open and never
 * writes: the kernel ends the read when the pool's process dies, however it dies (SIGKILL included), so the
 * end comes at once, without polling. It then tells the main thread (which aborts the run's `ctx.signal`;
 * a run that returns ends the slot itself), waits the grace period and marks the run in progress
 * `interrupted`. The kill is the slot's guard's (`slot_process.ts`: a shell process in the slot's process
 * group that `kill -9`s the group half a second later): measured in Deno 2.9, `Deno.exit` from a worker
 * does not end a process whose main thread spins, and `Deno.kill` needs full `--allow-run`, which a
 * simulation should not get.
 *
 * Why not poll the parent pid: `Deno.ppid` is read once at start-up, and `/proc/self/stat` needs
 * `--allow-all` in Deno; the pipe needs no more permissions than the slot has.
 *
 * @module
 */

/// <reference lib="deno.worker" />

/** The run in progress, as the main thread keeps it in shared memory (length, then UTF-8 bytes). */
function runPath(shared: SharedArrayBuffer): string | undefined {
  const length = Atomics.load(new Int32Array(shared, 0, 1), 0);
  return length > 0
    ? new TextDecoder().decode(new Uint8Array(shared, 4, length).slice())
    : undefined;
}

async function watch(pipe: string, graceMs: number, shared: SharedArrayBuffer): Promise<void> {
  // The pool holds the pipe open from before the spawn: the open blocks only when the pool is gone.
  const opened = await Promise.race([
    Deno.open(pipe, { read: true }),
    new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000)),
  ]);
  const buf = new Uint8Array(16);
  try {
    while (opened && (await opened.read(buf)) !== null) { /* the pool never writes here */ }
  } catch { /* closed: the pool is gone too */ }
  self.postMessage("gone");
  const marking = import("../run_record.ts"); // loads during the grace period
  await new Promise((r) => setTimeout(r, graceMs));
  const path = runPath(shared);
  if (path) {
    try {
      const { markRun } = await marking;
      await markRun(path, {
        status: "interrupted",
        reason: "interrupted",
        error:
          `the sweep's process ended while this run ran; it did not return within ${graceMs} ms ` +
          "after ctx.signal was aborted, and was killed",
      });
    } catch { /* the folder cannot be written: resume and status find the owner gone */ }
  }
  Deno.exit(1); // ends the process when its main thread is idle; otherwise the guard's kill does
}

self.onmessage = (e: MessageEvent) => {
  const msg = e.data;
  if (msg.t === "watch") {
    watch(msg.pipe, msg.graceMs, msg.shared).catch(() => Deno.exit(1));
  }
};
