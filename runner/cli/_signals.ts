/**
 * The CLI's signal handling for a sweep. SIGINT (Ctrl-C), SIGTERM (`kill`, `scancel`, `docker stop`) and
 * SIGHUP (the terminal closed) are handled alike: the first one aborts the sweep's `AbortSignal` (no new
 * runs; `ctx.signal` is aborted in the running simulations, which get the grace period to return before
 * they are killed and marked `interrupted`; the summary is written) and prints one line saying so; a second
 * one forces: the CLI exits at once, and the engine's slots die with it. The exit code tells which signal
 * stopped the sweep: 130 / 143 / 129, as a shell reports a process killed by it (128 + the number).
 *
 * @module
 */

/** The signals that stop a sweep. */
export type StopSignal = "SIGINT" | "SIGTERM" | "SIGHUP";

/** The signals that stop a sweep, in the order they are installed. */
export const STOP_SIGNALS: readonly StopSignal[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** The exit code after a sweep was stopped by each signal (128 + the signal's number). */
export const SIGNAL_EXIT_CODES: Readonly<Record<StopSignal, number>> = {
  SIGINT: 130,
  SIGTERM: 143,
  SIGHUP: 129,
};

/** Options of {@linkcode installStopHandlers}. */
export interface StopHandlerOptions {
  /** How long running simulations get to return after the stop, in milliseconds (for the message). */
  graceMs: number;
  /** Prints one line (the stop notice). */
  note: (line: string) => void;
  /** Called on a second signal: kill now (the CLI exits). */
  force: (first: StopSignal, second: StopSignal) => void;
}

/** The installed handlers: the signal to pass to `runSweep`, and which signal arrived first. */
export interface StopHandlers {
  /** Aborted by the first signal; its reason names the signal. */
  readonly signal: AbortSignal;
  /** The first signal received, if any. */
  readonly received: StopSignal | undefined;
  /** Removes the handlers (the signals' default action applies again). */
  dispose(): void;
}

function howToForce(signal: StopSignal): string {
  return signal === "SIGINT"
    ? "Ctrl-C again exits at once"
    : `${signal} again (kill -${signal.slice(3)} ${Deno.pid}) exits at once`;
}

/**
 * The one line printed when the first signal arrives.
 *
 * @param signal The signal.
 * @param graceMs The grace period in milliseconds.
 * @returns The line.
 *
 * @example
 * ```ts
 * import { stoppingLine } from "./_signals.ts";
 * console.log(stoppingLine("SIGINT", 3000));
 * ```
 */
export function stoppingLine(signal: StopSignal, graceMs: number): string {
  const grace = `${graceMs / 1000}s`;
  return `sweepstore: ${signal}: stopping — no new runs; running ones get ${grace} to return ` +
    `(ctx.signal), then are killed and marked interrupted; ${howToForce(signal)}`;
}

/**
 * Installs the SIGINT, SIGTERM and SIGHUP handlers of a sweep (see the module doc). Call `dispose()`
 * when the sweep has ended.
 *
 * @param options The grace period, how to print the notice and what a second signal does.
 * @returns The handlers.
 *
 * @example
 * ```ts
 * import { installStopHandlers } from "./_signals.ts";
 * const stop = installStopHandlers({ graceMs: 3000, note: console.error, force: () => Deno.exit(130) });
 * // … await runSweep({ …, signal: stop.signal, graceMs: 3000 });
 * stop.dispose();
 * console.log(stop.received); // undefined: no signal came
 * ```
 */
export function installStopHandlers(options: StopHandlerOptions): StopHandlers {
  const controller = new AbortController();
  let received: StopSignal | undefined;
  const listeners = STOP_SIGNALS.map((sig) => {
    const listener = () => {
      if (received === undefined) {
        received = sig;
        options.note(stoppingLine(sig, options.graceMs));
        controller.abort(new DOMException(`the sweep was stopped by ${sig}`, "AbortError"));
      } else options.force(received, sig);
    };
    Deno.addSignalListener(sig, listener);
    return { sig, listener };
  });
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    dispose() {
      for (const { sig, listener } of listeners) Deno.removeSignalListener(sig, listener);
    },
  };
}
