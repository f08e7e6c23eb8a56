/**
 * A sweep's tasks kept compactly, each task made when it is read (internal, used by `run_sweep.ts` for the
 * local backend): `expandSweep`'s tasks, equal field by field and in the same key order, from the points
 * kept as numbers (`PointStore`) and the seeds in a `Uint32Array`. 100,000 random points of three
 * decimals held ~29 MB of V8's heap for the whole sweep as objects (a task, its params and their heap
 * numbers, its point text of ~80 characters, its seed: ~290 bytes each); here ~4 MB outside the heap. They
 * also made V8 grow its young generation to its largest (64 MB) while the sweep was planned: surviving
 * objects made fast enough grow it, and it stays grown (bench/README.md, "Session 23: random3").
 *
 * The list is an array to its readers (`Array.isArray`, `length`, `list[i]`, iteration, `map`, `filter`,
 * `slice`, `JSON.stringify`), a `Proxy` over an empty array of its length: `list[i]` makes task `i` anew
 * at each read (a new object, its `point` text made by `pointKey`); an element assigned is kept and read
 * back. The local pool reads each task once, and drops it when its run ended.
 *
 * @module
 */

import type { RunSection } from "./run_record.ts";
import { type Params, pointKey, type SweepSpec, type SweepTask } from "./sweep.ts";
import { noPoints, Occurrences, repeatsOf, sweepPoints, taskSeed } from "./_sweep_points.ts";

/**
 * The points of a sweep: while every point has the same keys in the same order and only numbers, the key
 * list once and the values in a `Float64Array` (exactly: -0, NaN and ±Infinity kept); from the first point
 * that does not, every point as its object.
 */
class PointStore {
  #keys: string[] | undefined;
  /** A plain object of the keys (`JSON.parse` makes one of exactly its fields), copied for each point made. */
  #template: Record<string, number> | undefined;
  #values = new Float64Array(1024);
  #count = 0;
  #objects: Params[] | undefined;

  /** The number of points kept. */
  get length(): number {
    return this.#objects?.length ?? this.#count;
  }

  /** Keeps `params` as the next point (`params` itself only once the points are kept as objects). */
  add(params: Params): void {
    if (this.#objects) return void this.#objects.push(params);
    const keys = Object.keys(params);
    this.#keys ??= numberKeys(params, keys) ? keys : undefined;
    if (!this.#keys || !sameKeys(keys, this.#keys) || !numberKeys(params, keys)) {
      this.#objects = Array.from({ length: this.#count }, (_, k) => this.get(k));
      this.#objects.push(params);
      this.#values = new Float64Array(0);
      return;
    }
    const width = keys.length;
    if ((this.#count + 1) * width > this.#values.length) {
      const grown = new Float64Array(Math.max(2 * this.#values.length, (this.#count + 1) * width));
      grown.set(this.#values);
      this.#values = grown;
    }
    for (let j = 0; j < width; j++) {
      this.#values[this.#count * width + j] = params[keys[j]] as number;
    }
    this.#count++;
  }

  /** Drops the room kept for more points. */
  trim(): void {
    if (!this.#objects) this.#values = this.#values.slice(0, this.#count * this.#keys!.length);
  }

  /** Point `k` as a new object (its keys in their order), or the object kept. */
  get(k: number): Params {
    if (this.#objects) return this.#objects[k];
    const keys = this.#keys!;
    this.#template ??= JSON.parse(JSON.stringify(Object.fromEntries(keys.map((key) => [key, 0]))));
    const out: Record<string, number> = { ...this.#template };
    for (let j = 0, at = k * keys.length; j < keys.length; j++) {
      out[keys[j]] = small(this.#values[at++]);
    }
    return out;
  }
}

/** `v` as a small integer where it is one (the same number; V8 then keeps it in the field itself). */
function small(v: number): number {
  return (v | 0) === v && !Object.is(v, -0) ? v | 0 : v;
}

/** Whether `params` is a plain object whose own properties (`keys`, all enumerable) are all numbers. */
function numberKeys(params: Params, keys: string[]): boolean {
  if (Object.getPrototypeOf(params) !== Object.prototype) return false;
  if (keys.length > 64 || Reflect.ownKeys(params).length !== keys.length) return false;
  return !keys.includes("__proto__") && keys.every((k) => typeof params[k] === "number");
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The task lists made here, each with its largest task index + 1 (`taskCount` makes no task to know it). */
const lists = new WeakMap<object, number>();

/** `key` as an index below `length` (a canonical array index), else -1. */
function indexOf(key: string, length: number): number {
  const c = key.charCodeAt(0);
  if (!(c >= 48 && c <= 57)) return -1;
  const i = Number(key);
  return Number.isInteger(i) && i < length && String(i) === key ? i : -1;
}

/** An array of `length` elements, element `i` made by `at(i)` at each read unless one was assigned. */
function lazyArray<T>(length: number, at: (i: number) => T, size: number): T[] {
  const list = new Proxy(new Array<T>(length), {
    get(target, key, receiver) {
      if (typeof key === "string") {
        const i = indexOf(key, length);
        if (i >= 0) return Object.hasOwn(target, key) ? target[i] : at(i);
      }
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      return (typeof key === "string" && indexOf(key, length) >= 0) || Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      if (typeof key === "string" && !Object.hasOwn(target, key)) {
        const i = indexOf(key, length);
        if (i >= 0) return { value: at(i), writable: true, enumerable: true, configurable: true };
      }
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    ownKeys(target) {
      const keys = Reflect.ownKeys(target).filter((k) =>
        typeof k !== "string" || indexOf(k, length) < 0
      );
      return [...Array.from({ length }, (_, i) => String(i)), ...keys];
    },
  });
  lists.set(list, size);
  return list;
}

/**
 * The tasks of `spec`, as `expandSweep(spec)` makes them (the same points, seeds and order; each with
 * `run` when given, as its own copy), kept compactly and each made when read (see the module doc).
 *
 * @throws {TypeError} As `expandSweep`: a bad `repeats`, grid entry, point or random range; no points.
 */
export function taskList(spec: SweepSpec, run?: RunSection): SweepTask[] {
  const repeats = repeatsOf(spec);
  const sweepSeed = spec.seed ?? 0;
  const points = new PointStore();
  let seeds = new Uint32Array(1024);
  let n = 0;
  const occurrences = new Occurrences();
  // the first repeat number of each point: 0 unless the point came before (made on the first such point)
  let firsts: Float64Array | undefined;
  for (const params of sweepPoints(spec)) {
    const k = points.length;
    points.add(params);
    const point = pointKey(params);
    const first = occurrences.firstRepeat(point, repeats);
    if (first > 0 || firsts) {
      if (!firsts || k >= firsts.length) {
        const grown = new Float64Array(Math.max(1024, 2 * k + 2));
        if (firsts) grown.set(firsts);
        firsts = grown;
      }
      firsts[k] = first;
    }
    if (n + repeats > seeds.length) {
      const grown = new Uint32Array(Math.max(2 * seeds.length, n + repeats));
      grown.set(seeds);
      seeds = grown;
    }
    for (let repeat = first; repeat < first + repeats; repeat++) {
      seeds[n++] = taskSeed(sweepSeed, point, repeat);
    }
  }
  if (n === 0) throw noPoints();
  seeds = seeds.slice(0, n);
  points.trim();
  return lazyArray(n, (index) => {
    const k = Math.floor(index / repeats);
    const params = points.get(k);
    const task: SweepTask = {
      index,
      params,
      repeat: (firsts?.[k] ?? 0) + index % repeats,
      point: pointKey(params),
      seed: seeds[index],
    };
    if (run) task.run = { ...run };
    return task;
  }, n);
}

/**
 * The tasks of `list` at `positions` (ascending): of a task list, a task list of their own, each made when
 * read (`resume` keeps the tasks not finished without an object of each); of an array, an array.
 */
export function pickTasks(list: SweepTask[], positions: Int32Array): SweepTask[] {
  if (!lists.has(list)) return Array.from(positions, (i) => list[i]); // an array of tasks: an array again
  return lazyArray(positions.length, (k) => list[positions[k]], taskCount(list));
}

/**
 * The size a record store needs for `tasks` (the largest index + 1): a task list's length, without making
 * its tasks; for other arrays, read from each task.
 */
export function taskCount(tasks: readonly SweepTask[]): number {
  const known = lists.get(tasks);
  if (known !== undefined) return known;
  let size = 0;
  for (const t of tasks) size = Math.max(size, t.index + 1);
  return size;
}
