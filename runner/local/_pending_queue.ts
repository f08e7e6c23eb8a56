/**
 * The local pool's queue of tasks waiting for a slot (internal): the sweep's tasks in order, each made a
 * `Pending` (task + attempt) only when it is taken, with the tasks put back in front (a slot's unstarted
 * tasks) and retries at the back. A queue of 100,000 `Pending`s made up front cost ~4.8 MB of V8's heap
 * for the whole sweep (bench/README.md, "Sweep memory").
 *
 * @module
 */

import type { SweepTask } from "../sweep.ts";
import type { Pending } from "./_stops.ts";

/** Tasks waiting for a slot, taken in order: the front, then the sweep's tasks not taken yet, then the back. */
export class PendingQueue {
  #tasks: readonly SweepTask[];
  /** The first of `#tasks` not taken yet. */
  #next = 0;
  /** Put back in front (in their order), taken first. */
  #front: Pending[] = [];
  /** Added at the back (retries), taken last. */
  #back: Pending[] = [];

  /** A queue of `tasks`, each a first attempt. */
  constructor(tasks: readonly SweepTask[] = []) {
    this.#tasks = tasks;
  }

  /** The number of tasks waiting. */
  get length(): number {
    return this.#front.length + this.#tasks.length - this.#next + this.#back.length;
  }

  /** Takes the first task waiting, or `undefined`. */
  shift(): Pending | undefined {
    if (this.#front.length) return this.#front.shift();
    if (this.#next < this.#tasks.length) return { task: this.#tasks[this.#next++], attempt: 1 };
    return this.#back.shift();
  }

  /** Adds `p` at the back (after every task waiting). */
  push(p: Pending): void {
    this.#back.push(p);
  }

  /** Puts `ps` back in front, in their order (before every task waiting). */
  unshift(...ps: Pending[]): void {
    this.#front.unshift(...ps);
  }

  /** Drops every task waiting. */
  clear(): void {
    this.#tasks = [];
    this.#next = 0;
    this.#front = [];
    this.#back = [];
  }
}
