/**
 * The run records of a finished sweep, kept compactly (internal, used by `run_sweep.ts`): numbers in typed
 * arrays, the status as a code, each run folder as its shared prefix and its number, the rest of a record
 * (params, result, a failure's reason and error) by reference. A `RunRecord` object of a tiny run costs
 * ~430 bytes on V8's heap (the object, its property array, its path and status strings, heap numbers);
 * here ~60 bytes plus its params and result. Records are made again on access, equal to the originals:
 * the same keys in the same order, the same values (params and result the same objects). A record that
 * does not fit (a key that is not a record field, a number that is no number) is kept as it is.
 *
 * @module
 */

import type { RunRecord } from "./events.ts";

/** The fields kept as numbers (any number, exactly: Float64). */
const NUMBER_FIELDS = ["index", "repeat", "attempts", "seed", "durationMs"] as const;
type NumberField = (typeof NUMBER_FIELDS)[number];
/** The fields kept by reference (any value). */
const REFERENCE_FIELDS = ["params", "result", "reason", "error", "exitCode", "signal"] as const;
type ReferenceField = (typeof REFERENCE_FIELDS)[number];

/** A path ending in a run number without leading zero (`…/Scale/Scale12345`): prefix and number. */
const NUMBERED = /^(.*?)(0|[1-9]\d{0,8})$/;

/** Up to 255 of each: shapes (key orders), statuses, path prefixes; a record beyond is kept whole. */
const MAX_CODES = 255;

/** The records of a sweep by position (sweep order), compact. */
export class RecordStore {
  readonly length: number;
  #numbers: Record<NumberField, Float64Array>;
  #references = new Map<ReferenceField, unknown[]>();
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

const KNOWN = new Set<string>([...NUMBER_FIELDS, ...REFERENCE_FIELDS, "path", "status"]);

/** Whether a record's fields can be kept compactly: known keys only, numbers that are numbers. */
function fits(r: RunRecord, keys: string[]): boolean {
  if (keys.length > 16 || !keys.every((k) => KNOWN.has(k))) return false;
  if (typeof r.status !== "string" || typeof r.path !== "string") return false;
  return NUMBER_FIELDS.every((f) => typeof r[f] === "number");
}
