/**
 * The compact run records (`runner/_record_store.ts`) of the runner's own shape: every record made from its
 * shape's template comes back the same, whatever kinds its fields' values take from record to record.
 */
import { assert } from "./_assert.ts";
import { assertSame } from "./_records.ts";
import { RecordStore } from "../runner/_record_store.ts";
import type { RunRecord } from "../runner/mod.ts";

Deno.test("records of the runner's own shape (reason and error set, undefined when done) come back the same, whatever kind each field's values take from record to record", () => {
  const base = "/data/Data/StorageManager/Sw";
  const kinds = [0, 1.5, -0, NaN, 2 ** 31, -1, 4294967295, 1e300, Infinity];
  const records: RunRecord[] = [];
  for (let i = 0; i < 400; i++) {
    const v = kinds[i % kinds.length];
    const failed = i % 7 === 3;
    records.push({
      index: i,
      params: i % 11 === 5 ? { k: "text" } as unknown as RunRecord["params"] : { k: v },
      repeat: i % 3,
      path: `${base}/Sw${i + 1}`,
      status: failed ? "failed" : "done",
      durationMs: kinds[(i + 1) % kinds.length],
      attempts: 1 + (i % 2),
      seed: kinds[(i + 4) % kinds.length],
      reason: failed ? "exception" : undefined,
      error: failed ? `Error: ${i}` : undefined,
      result: failed
        ? undefined
        : i % 13 === 0
        ? { s: "x" } as unknown as RunRecord["result"]
        : { score: v },
    } as RunRecord);
  }
  const store = new RecordStore(records);
  for (let pass = 0; pass < 2; pass++) store.records().forEach((r, i) => assertSame(r, records[i]));
  for (const i of [3, 0, 399]) assert("reason" in store.record(i) && "error" in store.record(i));
});
