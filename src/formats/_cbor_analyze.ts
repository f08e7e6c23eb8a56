/**
 * The encoder's first pass over a value (`objects.ts`): refuses what `saveObj` cannot store, naming where
 * it sits (`value.a.b[2]`), finds the objects reached twice (written once, then referred to) and counts
 * the bytes of binary data (to size the output buffer). Internal.
 *
 * @module
 */

import { TAG_OF } from "./_cbor_tags.ts";

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function describePath(path: (string | number)[]): string {
  let out = "value";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else if (p.startsWith("\0")) out += p.slice(1);
    else out += IDENTIFIER.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`;
  }
  return out;
}

function describeKey(key: unknown): string {
  if (typeof key === "string") return JSON.stringify(key);
  if (typeof key === "bigint") return `${key}n`;
  if (key === null || typeof key !== "object") return String(key);
  return "<object key>";
}

/** What the first pass learns: the objects reached twice, and how many bytes typed arrays take. */
export interface Analysis {
  shared: Set<object>;
  binaryBytes: number;
}

/** The walk: `path` is where the visited value sits (`"\0…"` entries are shown as they are). */
class Analyzer {
  readonly seen = new Set<object>();
  readonly shared = new Set<object>();
  readonly path: (string | number)[] = [];
  binaryBytes = 0;

  refuse(what: string, hint: string): never {
    throw new TypeError(
      `${describePath(this.path)} is ${what}, which saveObj cannot store: ${hint}`,
    );
  }

  /** Visits `v` with `step` pushed on the path. */
  at(step: string | number, v: unknown): void {
    this.path.push(step);
    this.visit(v);
    this.path.pop();
  }

  visit(v: unknown): void {
    switch (typeof v) {
      case "function":
        return this.refuse("a function", "store data only (functions and methods are not data)");
      case "symbol":
        return this.refuse("a symbol", "use a string instead");
      case "string":
        if (!v.isWellFormed()) {
          this.refuse(
            "a string with a lone surrogate (not valid UTF-8)",
            "fix the string or store its UTF-16 code units in a Uint16Array",
          );
        }
        return;
      case "object":
        if (v === null) return;
        if (this.seen.has(v)) {
          this.shared.add(v);
          return;
        }
        this.seen.add(v);
        return this.object(v);
    }
  }

  object(v: object): void {
    if (Array.isArray(v)) return this.array(v);
    if (ArrayBuffer.isView(v)) {
      if (!((v as unknown as { [Symbol.toStringTag]: string })[Symbol.toStringTag] in TAG_OF)) {
        this.refuse(
          "a DataView",
          "store its bytes as a Uint8Array (new Uint8Array(view.buffer, …))",
        );
      }
      this.binaryBytes += v.byteLength;
      return;
    }
    if (
      v instanceof ArrayBuffer || Object.prototype.toString.call(v) === "[object SharedArrayBuffer]"
    ) {
      this.binaryBytes += (v as ArrayBuffer).byteLength;
      return;
    }
    if (v instanceof Map) {
      let i = 0;
      for (const [k, x] of v) {
        this.at(`\0.<key ${i++}>`, k);
        this.at(`\0.get(${describeKey(k)})`, x);
      }
      return;
    }
    if (v instanceof Set) {
      let i = 0;
      for (const x of v) this.at(`\0.<item ${i++}>`, x);
      return;
    }
    if (v instanceof Date || v instanceof RegExp) return;
    if (v instanceof Error) return this.at("message", v.message);
    this.plainObject(v);
  }

  array(v: unknown[]): void {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      const t = typeof x;
      if (t === "number" || t === "boolean" || t === "undefined" || t === "bigint" || x === null) {
        continue; // nothing to check: skip the call
      }
      this.at(i, x);
    }
  }

  plainObject(v: object): void {
    const kind = Object.prototype.toString.call(v);
    if (kind !== "[object Object]") {
      const name = kind.slice(8, -1);
      this.refuse(
        `${/^[AEIO]/.test(name) ? "an" : "a"} ${name}`,
        "store plain data (objects, arrays, Map, Set, Date, typed arrays, numbers, strings)",
      );
    }
    for (const s of Object.getOwnPropertySymbols(v)) {
      if (Object.prototype.propertyIsEnumerable.call(v, s)) {
        this.path.push(`\0[${String(s)}]`);
        this.refuse("a symbol-keyed property", "use string keys");
      }
    }
    for (const k of Object.keys(v)) this.at(k, (v as Record<string, unknown>)[k]);
  }
}

/** The first pass: refuses what cannot be stored (a `TypeError` naming where it is), finds shared objects. */
export function analyze(root: unknown): Analysis {
  const a = new Analyzer();
  a.visit(root);
  return { shared: a.shared, binaryBytes: a.binaryBytes };
}
