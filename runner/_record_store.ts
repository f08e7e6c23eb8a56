/**
 * The run records of a finished sweep, kept compactly (internal, used by `run_sweep.ts`): numbers in typed
 * arrays, the status as a code, each run folder as its shared prefix and its number, params and result
 * whose values are all numbers as numbers (`NumberObjects`), the rest of a record (other params and
 * results, a failure's reason and error) by reference. A tiny run's `RunRecord` costs ~560 bytes on V8's
 * heap (the object, its property array, its path and status strings, its params and result objects, heap
 * numbers); here ~70 bytes, outside the heap. Records are made again on access, equal to the originals:
 * the same keys in the same order, the same values. A record that does not fit (a key that is not a record
 * field, a number that is no number) is kept as it is.
 *
 * @module
 */

import type { RunRecord } from "./events.ts";

/** The fields kept as numbers (any number, exactly: Float64). */
const NUMBER_FIELDS = ["index", "repeat", "attempts", "seed", "durationMs"] as const;
type NumberField = (typeof NUMBER_FIELDS)[number];
/** The fields kept by reference (any value). */
const REFERENCE_FIELDS = ["reason", "error", "exitCode", "signal"] as const;
type ReferenceField = (typeof REFERENCE_FIELDS)[number];
/** The fields kept as `NumberObjects` (objects of numbers as numbers, others by reference). */
const OBJECT_FIELDS = ["params", "result"] as const;
type ObjectField = (typeof OBJECT_FIELDS)[number];

/** A path ending in a run number without leading zero (`…/Scale/Scale12345`): prefix and number. */
const NUMBERED = /^(.*?)(0|[1-9]\d{0,8})$/;

/** Up to 255 of each: shapes (key orders), statuses, path prefixes; a record beyond is kept whole. */
const MAX_CODES = 255;

/** The records of a sweep by position (sweep order), compact. */
export class RecordStore {
  readonly length: number;
  #numbers: Record<NumberField, Float64Array>;
  #references = new Map<ReferenceField, unknown[]>();
  #objects: Record<ObjectField, NumberObjects>;
  #status = new Uint8Array(0);
  #statuses: string[] = [];
  #prefix: Uint8Array;
  #prefixes: string[] = [];
  #runNumber: Int32Array;
  /** Per record: its key order's id + 1 (0: the record is kept whole in `#whole`). */
  #shape: Uint8Array;
  #shapes: (keyof RunRecord)[][] = [];
  #whole = new Map<number, RunRecord>();

  /** Keeps `records` compactly (the array and its objects may then be dropped). */
  constructor(records: readonly RunRecord[]) {
    const n = this.length = records.length;
    this.#numbers = Object.fromEntries(
      NUMBER_FIELDS.map((f) => [f, new Float64Array(n)]),
    ) as Record<NumberField, Float64Array>;
    this.#status = new Uint8Array(n);
    this.#prefix = new Uint8Array(n);
    this.#runNumber = new Int32Array(n);
    this.#shape = new Uint8Array(n);
    this.#objects = {
      params: new NumberObjects(records.map((r) => r.params)),
      result: new NumberObjects(records.map((r) => r.result)),
    };
    const shapeIds = new Map<string, number>();
    const statusIds = new Map<string, number>();
    const prefixIds = new Map<string, number>();
    const code = <T>(ids: Map<string, number>, list: T[], text: string, item: T) => {
      let id = ids.get(text);
      if (id === undefined && list.length < MAX_CODES) ids.set(text, id = list.push(item) - 1);
      return id;
    };
    for (let i = 0; i < n; i++) {
      const r = records[i];
      const keys = Object.keys(r) as (keyof RunRecord)[];
      const m = fits(r, keys) ? NUMBERED.exec(r.path) : null;
      const shape = m ? code(shapeIds, this.#shapes, keys.join(","), keys) : undefined;
      const status = shape === undefined
        ? undefined
        : code(statusIds, this.#statuses, r.status, r.status);
      const prefix = status === undefined
        ? undefined
        : code(prefixIds, this.#prefixes, m![1], m![1]);
      if (prefix === undefined) {
        this.#whole.set(i, r);
        continue;
      }
      this.#shape[i] = shape! + 1;
      this.#status[i] = status!;
      this.#prefix[i] = prefix;
      this.#runNumber[i] = Number(m![2]);
      for (const f of NUMBER_FIELDS) this.#numbers[f][i] = r[f] as number;
      for (const f of REFERENCE_FIELDS) {
        if (!(f in r)) continue;
        let refs = this.#references.get(f);
        if (!refs) this.#references.set(f, refs = new Array(n));
        refs[i] = r[f];
      }
    }
  }

  /** The record at position `i` (a new object each call). */
  record(i: number): RunRecord {
    const whole = this.#whole.get(i);
    if (whole) return whole;
    const out: Record<string, unknown> = {};
    for (const key of this.#shapes[this.#shape[i] - 1]) {
      if (key === "path") {
        out.path = this.#prefixes[this.#prefix[i]] + this.#runNumber[i];
      } else if (key === "status") out.status = this.#statuses[this.#status[i]];
      else if (key === "params" || key === "result") out[key] = this.#objects[key].get(i);
      else if ((NUMBER_FIELDS as readonly string[]).includes(key)) {
        out[key] = this.#numbers[key as NumberField][i];
      } else out[key] = this.#references.get(key as ReferenceField)![i];
    }
    return out as unknown as RunRecord;
  }

  /** Every record, in order (new objects). */
  records(): RunRecord[] {
    const out = new Array<RunRecord>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.record(i);
    return out;
  }
}

const KNOWN = new Set<string>([
  ...NUMBER_FIELDS,
  ...REFERENCE_FIELDS,
  ...OBJECT_FIELDS,
  "path",
  "status",
]);

/** Whether a record's fields can be kept compactly: known keys only, numbers that are numbers. */
function fits(r: RunRecord, keys: string[]): boolean {
  if (keys.length > 16 || !keys.every((k) => KNOWN.has(k))) return false;
  if (typeof r.status !== "string" || typeof r.path !== "string") return false;
  return NUMBER_FIELDS.every((f) => typeof r[f] === "number");
}

/**
 * Objects whose values are all numbers (a tiny sweep's `{ k: 3 }` and `{ score: 0.5 }`: ~130 bytes a run
 * as objects and heap numbers) as their keys (shared per key list) and a `Float64Array` of values, made
 * again on access (equal: the same keys in the same order, the same numbers); others kept by reference.
 */
class NumberObjects {
  #keys: string[][] = [];
  /** Per position: its key list's id + 1 (0: kept in `#refs`, or none). */
  #shape: Uint8Array;
  #start: Int32Array;
  #values: Float64Array;
  #refs = new Map<number, unknown>();

  constructor(objects: readonly unknown[]) {
    const n = objects.length;
    this.#shape = new Uint8Array(n);
    this.#start = new Int32Array(n);
    const ids = new Map<string, number>();
    let size = 0;
    for (let i = 0; i < n; i++) {
      const keys = numberKeys(objects[i]);
      const sig = keys?.join("\u0000");
      let id = sig === undefined ? undefined : ids.get(sig);
      if (keys && id === undefined && this.#keys.length < MAX_CODES) {
        ids.set(sig!, id = this.#keys.push(keys) - 1);
      }
      if (id === undefined) {
        if (objects[i] !== undefined) this.#refs.set(i, objects[i]);
        continue;
      }
      this.#shape[i] = id + 1;
      this.#start[i] = size;
      size += keys!.length;
    }
    this.#values = new Float64Array(size);
    for (let i = 0; i < n; i++) {
      if (!this.#shape[i]) continue;
      const o = objects[i] as Record<string, number>;
      let at = this.#start[i];
      for (const k of this.#keys[this.#shape[i] - 1]) this.#values[at++] = o[k];
    }
  }

  /** The object at position `i` (a new one when kept as numbers), or `undefined`. */
  get(i: number): unknown {
    const shape = this.#shape[i];
    if (!shape) return this.#refs.get(i);
    const out: Record<string, number> = {};
    let at = this.#start[i];
    for (const k of this.#keys[shape - 1]) out[k] = this.#values[at++];
    return out;
  }
}

/** The keys of a plain object whose own properties are all enumerable numbers, else `undefined`. */
function numberKeys(o: unknown): string[] | undefined {
  if (o === null || typeof o !== "object" || Object.getPrototypeOf(o) !== Object.prototype) return;
  const keys = Object.keys(o);
  if (keys.length > 64 || Reflect.ownKeys(o).length !== keys.length) return;
  if (keys.includes("__proto__")) return;
  for (const k of keys) if (typeof (o as Record<string, unknown>)[k] !== "number") return;
  return keys;
}
