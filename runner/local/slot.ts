/**
 * A pool slot's program: `deno run runner/slot.ts '<SlotConfig JSON>'`. Loads the simulation once, then runs
 * the tasks it reads from stdin (JSON lines) one after another and reports on stdout with lines that start
 * with PROTOCOL_PREFIX. It is a separate entry point (not `import.meta.main` in worker.ts) so that a
 * simulation importing sweepstore never waits on a module still in its top-level await.
 *
 * @module
 */

import { lines } from "./lines.ts";
import {
  loadSimulation,
  PROTOCOL_PREFIX,
  runTask,
  type Simulate,
  type SlotConfig,
  type TaskMessage,
} from "../task.ts";

function errorText(err: unknown): string {
  return err instanceof Error
    ? (err.stack ?? `${err.name}: ${err.message}`)
    : `thrown value: ${String(err)}`;
}

const encoder = new TextEncoder();

function send(message: unknown): void {
  const bytes = encoder.encode(`${PROTOCOL_PREFIX}${JSON.stringify(message)}\n`);
  let off = 0;
  while (off < bytes.length) off += Deno.stdout.writeSync(bytes.subarray(off));
}

/** The pool slot's main loop: load the simulation once, then run tasks from stdin until it closes. */
async function slotMain(config: SlotConfig): Promise<void> {
  let simulate: Simulate;
  try {
    simulate = await loadSimulation(config.simulation);
  } catch (err) {
    send({ t: "fatal", error: errorText(err) });
    Deno.exit(3);
  }
  send({ t: "ready" });
  const controller = new AbortController();
  for await (const line of lines(Deno.stdin.readable)) {
    if (!line.trim()) continue;
    const msg = JSON.parse(line) as TaskMessage;
    const record = await runTask(msg.task, simulate, {
      name: config.name,
      dataFolder: config.dataFolder,
      sweepId: config.sweepId,
      attempt: msg.attempt,
      signal: controller.signal,
      onStart: (path) => send({ t: "start", i: msg.task.index, path }),
    });
    send({ t: "end", record });
  }
  controller.abort(new Error("the sweep stopped"));
}

// Ctrl-C in a terminal sends SIGINT to the whole process group: the parent handles it (it kills the slots
// and marks their runs interrupted), so a slot must not die of it first and look like a crash.
Deno.addSignalListener("SIGINT", () => {});
await slotMain(JSON.parse(Deno.args[0]) as SlotConfig);
Deno.exit(0);
