/**
 * A sweep's run records, kept compactly as its runs end (internal, used by `run_sweep.ts` and, through the
 * `RecordSink` it passes, the local backend): numbers in typed arrays, the status as a code, each run folder
 * as its shared prefix and its number, params and result whose values are all numbers as numbers
 * (`NumberObjects`), the rest of a record (other params and results, a failure's reason and error) by
 * reference. A tiny run's `RunRecord` costs ~560 bytes on V8's heap (the object, its property array, its
 * path and status strings, its params and result objects, heap numbers); here ~70 bytes, outside the heap.
 * Records are made again on access, equal to the originals: the same keys in the same order, the same
 * values, except a failure's error longer than 2,048 characters (`_kept_error.ts`: its start and end, and
 * where the whole text is). A record that does not fit (a key that is not a record field, a number that is no number) is kept
 * as it is.
 *
 * @module
 */

import type { RunRecord } from "./events.ts";
import { KEPT_ERROR_CHARS, keptError } from "./_kept_error.ts";

/** The fields kept as numbers (any number, exactly: Float64). */
const NUMBER_FIELDS = ["index", "repeat", "attempts", "seed", "durationMs"] as const;
type NumberField = (typeof NUMBER_FIELDS)[number];
/**
 * Each number field's array while its values fit it (a run's index, repeat and attempts are small
 * integers, its seed a 32-bit unsigned one: 4 bytes a run instead of 8); a value that does not fit turns
 * the field's array into a `Float64Array` (any number, exactly).
 */
const NUMBER_ARRAYS: Record<NumberField, Int32ArrayConstructor | Uint32ArrayConstructor | null> = {
  index: Int32Array,
  repeat: Int32Array,
  attempts: Int32Array,
  seed: Uint32Array,
  durationMs: null,
};
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

/**
 * The records of a sweep by position (sweep order), compact: given all at once (`new RecordStore(records)`)
 * or one at a time as the runs end (`new RecordStore([], size)`, then `set`), so that a sweep never holds
 * every record as an object.
 */
export class RecordStore {
  readonly #size: number;
  #count = 0;
  /** Per position: 1 when it holds a record. */
  #present: Uint8Array;
  #numbers: Record<NumberField, Float64Array | Int32Array | Uint32Array>;
  #references = new Map<ReferenceField, unknown[]>();
  #objects: Record<ObjectField, NumberObjects>;
  #status: Uint8Array;
  #statuses: string[] = [];
  #prefix: Uint8Array;
  #prefixes: string[] = [];
  #runNumber: Int32Array;
  /** Per record: its key order's id + 1 (0: the record is kept whole in `#whole`). */
  #shape: Uint8Array;
  #shapes: (keyof RunRecord)[][] = [];
  /** Per shape: a plain object of its keys in order (made when first needed), copied for each record. */
  #templates: Record<string, unknown>[] = [];
  #whole = new Map<number, RunRecord>();
  #ids = { shape: new Map<string, number>(), status: new Map<string, number>(), prefix: new Map() };

  /**
   * Keeps `records` compactly at positions 0… (the array and its objects may then be dropped), with room for
   * `size` positions in all; `set` adds the others.
   */
  constructor(records: readonly RunRecord[] = [], size: number = records.length) {
    if (!Number.isInteger(size) || size < records.length) {
      throw new RangeError(`RecordStore: size must be an integer ≥ the records given, not ${size}`);
    }
    this.#size = size;
    this.#present = new Uint8Array(size);
    this.#numbers = Object.fromEntries(
      NUMBER_FIELDS.map((f) => [f, new (NUMBER_ARRAYS[f] ?? Float64Array)(size)]),
    ) as Record<NumberField, Float64Array | Int32Array | Uint32Array>;
    this.#status = new Uint8Array(size);
    this.#prefix = new Uint8Array(size);
    this.#runNumber = new Int32Array(size);
    this.#shape = new Uint8Array(size);
    this.#objects = { params: new NumberObjects(size), result: new NumberObjects(size) };
    for (let i = 0; i < records.length; i++) this.set(i, records[i]);
  }

  /** The number of records held. */
  get length(): number {
    return this.#count;
  }

  /**
   * Keeps record `r` at position `i` (0 ≤ i < size), replacing the one there; an error longer than 2,048
   * characters is kept cut ({@linkcode keptError}).
   */
  set(i: number, r: RunRecord): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.#size) {
      throw new RangeError(`RecordStore.set: position ${i} is outside 0…${this.#size - 1}`);
    }
    if (typeof r.error === "string" && r.error.length > KEPT_ERROR_CHARS) {
      r = { ...r, error: keptError(r.error, r.path) }; // the whole text is in the run's folder
    }
    if (!this.#present[i]) this.#count++;
    this.#present[i] = 1;
    this.#whole.delete(i);
    this.#shape[i] = 0;
    const keys = Object.keys(r) as (keyof RunRecord)[];
    const m = fits(r, keys) ? NUMBERED.exec(r.path) : null;
    const last = this.#shapes.length - 1; // mostly the same keys as the last record: no key text then
    const shape = !m
      ? undefined
      : last >= 0 && sameKeys(keys, this.#shapes[last])
      ? last
      : this.#code(this.#ids.shape, this.#shapes, keys.join(","), keys);
    const status = shape === undefined
      ? undefined
      : this.#code(this.#ids.status, this.#statuses, r.status, r.status);
    const prefix = status === undefined
      ? undefined
      : this.#code(this.#ids.prefix, this.#prefixes, m![1], m![1]);
    if (prefix === undefined) return void this.#whole.set(i, r);
    this.#shape[i] = shape! + 1;
    this.#status[i] = status!;
    this.#prefix[i] = prefix;
    this.#runNumber[i] = Number(m![2]);
    for (const f of NUMBER_FIELDS) this.#setNumber(f, i, r[f] as number);
    for (const f of REFERENCE_FIELDS) {
      let refs = this.#references.get(f);
      if (r[f] === undefined) { // (absent, or a key set to undefined: the shape tells them apart)
        if (refs) delete refs[i]; // (a record replaced)
        continue;
      }
      if (!refs) this.#references.set(f, refs = new Array(this.#size));
      refs[i] = r[f];
    }
    for (const f of OBJECT_FIELDS) this.#objects[f].set(i, r[f]);
  }

  /** Keeps number `v` of field `f` at `i`, the field's array made a `Float64Array` when `v` does not fit it. */
  #setNumber(f: NumberField, i: number, v: number): void {
    let array = this.#numbers[f];
    if (!(array instanceof Float64Array)) {
      const fits = array instanceof Int32Array ? (v | 0) === v : v >>> 0 === v;
      if (!fits || Object.is(v, -0)) this.#numbers[f] = array = Float64Array.from(array);
    }
    array[i] = v;
  }

  /** The id of `text` in `list` (added when new and there is room), or `undefined`. */
  #code<T>(ids: Map<string, number>, list: T[], text: string, item: T): number | undefined {
    let id = ids.get(text);
    if (id === undefined && list.length < MAX_CODES) ids.set(text, id = list.push(item) - 1);
    return id;
  }

  /**
   * The record at position `i` (a new object each call); `i` must hold one. Made as a copy of its shape's
   * template (its fields in the object itself, no property array) with integers as int32 (`small`): a tiny
   * run's record as the runner makes it (11 fields, `reason` and `error` among them) costs ~290 bytes of V8's
   * heap with its params, result and path, against ~350 grown key by key (`bench/record_bytes_bench.ts`).
   */
  record(i: number): RunRecord {
    const whole = this.#whole.get(i);
    if (whole) return whole;
    const shape = this.#shape[i] - 1;
    const keys = this.#shapes[shape];
    const out = { ...(this.#templates[shape] ??= recordTemplate(keys)) };
    for (const key of keys) out[key] = this.#field(key, i);
    return out as unknown as RunRecord;
  }

  /** The value of field `key` of the (compact) record at position `i`. */
  #field(key: keyof RunRecord, i: number): unknown {
    switch (key) {
      case "path":
        return this.#prefixes[this.#prefix[i]] + this.#runNumber[i];
      case "status":
        return this.#statuses[this.#status[i]];
      case "params":
      case "result":
        return this.#objects[key].get(i);
      case "index":
      case "repeat":
      case "attempts":
      case "seed":
      case "durationMs":
        return small(this.#numbers[key][i]);
      default:
        return this.#references.get(key as ReferenceField)?.[i];
    }
  }

  /** Every record, in position order (new objects). */
  records(): RunRecord[] {
    const out = new Array<RunRecord>(this.#count);
    for (let i = 0, k = 0; i < this.#size; i++) if (this.#present[i]) out[k++] = this.record(i);
    return out;
  }
}

/**
 * `v` as a small integer where it is one (the same number): a value read from a `Float64Array` is a
 * double, which V8 boxes (16 bytes) in an object's field; an int32 is kept in the field itself.
 */
function small(v: number): number {
  return (v | 0) === v && !Object.is(v, -0) ? v | 0 : v;
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
  #templates: Record<string, number>[] = [];
  #ids = new Map<string, number>();
  /** Per position: its key list's id + 1 (0: kept in `#refs`, or none). */
  #shape: Uint8Array;
  #start: Int32Array;
  #values = new Float64Array(0);
  #used = 0;
  #refs = new Map<number, unknown>();

  /** Room for `size` positions. */
  constructor(size: number) {
    this.#shape = new Uint8Array(size);
    this.#start = new Int32Array(size);
  }

  /** Keeps `o` at position `i` (replacing what was there). */
  set(i: number, o: unknown): void {
    this.#refs.delete(i);
    this.#shape[i] = 0;
    const keys = numberKeys(o);
    const last = this.#keys.length - 1; // runs of a sweep mostly share one key list: no key text then
    let id = keys && last >= 0 && sameKeys(keys, this.#keys[last]) ? last : undefined;
    if (keys && id === undefined) {
      const sig = JSON.stringify(keys); // (joined with a separator, [] and [""] were one list)
      id = this.#ids.get(sig);
      if (id === undefined && this.#keys.length < MAX_CODES) {
        this.#ids.set(sig, id = this.#keys.push(keys) - 1);
      }
    }
    if (id === undefined) {
      if (o !== undefined) this.#refs.set(i, o);
      return;
    }
    if (this.#used + keys!.length > this.#values.length) {
      // at first room for every position with these keys (a sweep's runs share them), then doubled: grown
      // from 1,024 by doubling, 100,000 runs' three results took 4.2 MB for 2.4
      const first = this.#used === 0 ? this.#shape.length * keys!.length : 0;
      const need = Math.max(2 * this.#values.length, this.#used + keys!.length, first);
      const grown = new Float64Array(need);
      grown.set(this.#values.subarray(0, this.#used));
      this.#values = grown;
    }
    this.#shape[i] = id + 1;
    this.#start[i] = this.#used;
    for (const k of keys!) this.#values[this.#used++] = (o as Record<string, number>)[k];
  }

  /**
   * The object at position `i` (a new one when kept as numbers), or `undefined`. Made as a copy of its key
   * list's template (`JSON.parse` makes an object of exactly its fields; a copy by spread keeps that size):
   * `{ k: 3 }` costs 32 bytes instead of 56 for an object grown from `{}`.
   */
  get(i: number): unknown {
    const shape = this.#shape[i];
    if (!shape) return this.#refs.get(i);
    const keys = this.#keys[shape - 1];
    const out: Record<string, number> = { ...(this.#templates[shape - 1] ??= template(keys)) };
    let at = this.#start[i];
    for (const k of keys) out[k] = small(this.#values[at++]);
    return out;
  }
}

/** A plain object with `keys` (in their order) set to 0, of exactly that many fields. */
function template(keys: readonly string[]): Record<string, number> {
  return JSON.parse(JSON.stringify(Object.fromEntries(keys.map((k) => [k, 0]))));
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A plain object with `keys` in their order, of exactly that many fields (`JSON.parse` makes one; a copy by
 * spread keeps that size), each set to a value of its field's usual kind (a number, a text, an object or
 * nothing), so that the records' shared hidden class rarely has to change.
 */
function recordTemplate(keys: readonly string[]): Record<string, unknown> {
  const kind = (k: string) =>
    k === "durationMs"
      ? 0.5
      : (NUMBER_FIELDS as readonly string[]).includes(k)
      ? 0
      : k === "path" || k === "status"
      ? ""
      : null;
  return JSON.parse(JSON.stringify(Object.fromEntries(keys.map((k) => [k, kind(k)]))));
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

/**
 * `result` with `runs` made from the compact records when first read (then kept, and the compact ones
 * dropped): a sweep of 100,000 tiny runs holds ~7.5 MB of records instead of 27–45 MB while its summary is
 * written. `console.log` and Node's `util.inspect` of the result show the runs (not `[Getter/Setter]`);
 * `JSON.stringify` and spreading read them as any property.
 */
export function withRecords<T extends object>(
  result: T,
  records: RecordStore,
): T & { runs: RunRecord[] } {
  let runs: RunRecord[] | undefined;
  let store: RecordStore | undefined = records;
  Object.defineProperty(result, "runs", {
    enumerable: true,
    configurable: true,
    get: () => {
      if (store) { // (not `!runs`: a value set, null or undefined included, is read back as set)
        runs = store.records();
        store = undefined; // its typed arrays (~7.5 MB for 100,000 runs) are no longer needed
      }
      return runs;
    },
    set: (value: RunRecord[]) => {
      runs = value;
      store = undefined;
    },
  });
  // What an inspection shows: a plain copy, `runs` read (Deno's console; Node's util.inspect).
  const plain = (self: object) => ({ ...self });
  Object.defineProperty(result, Symbol.for("Deno.customInspect"), {
    value(this: object, inspect: (v: unknown, o?: unknown) => string, options?: unknown) {
      return inspect(plain(this), options);
    },
  });
  Object.defineProperty(result, Symbol.for("nodejs.util.inspect.custom"), {
    value(
      this: object,
      _depth: number,
      options: unknown,
      inspect: (v: unknown, o?: unknown) => string,
    ) {
      return inspect(plain(this), options);
    },
  });
  return result as T & { runs: RunRecord[] };
}
