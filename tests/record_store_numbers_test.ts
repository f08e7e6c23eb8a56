// The record store's number fields in 4-byte arrays while their values fit (a run's index, repeat and
// attempts as int32, its seed as uint32), any other number turning the field's array into Float64; its
// params and results as numbers with room for every position at the first record (session 23): every
// record made again equals the one kept, whatever numbers come and in whatever order.
import { assert, assertEquals } from "./_assert.ts";
import { RecordStore } from "../runner/_record_store.ts";
import type { RunRecord } from "../runner/events.ts";

function record(i: number, over: Partial<RunRecord> = {}): RunRecord {
  return {
    index: i,
    params: { lr: i / 7, wd: -i, mom: 0.9 },
    repeat: i % 3,
    path: `/data/StorageManager/S/S${i + 1}`,
    status: "done",
    durationMs: i / 4,
    attempts: 1,
    seed: (2654435761 * (i + 1)) >>> 0,
    reason: undefined,
    error: undefined,
    result: { score: i * 1.5, loss: 1 / (i + 1), acc: -0 },
    ...over,
  };
}

Deno.test("record store: numbers that do not fit the 4-byte arrays, at any position, come back exactly", () => {
  const n = 200;
  const odd: Record<number, Partial<RunRecord>> = {
    3: { seed: -1 }, // not uint32
    5: { index: 2 ** 40 }, // not int32
    7: { repeat: -0 },
    9: { attempts: 1.5 },
    11: { seed: NaN, index: -(2 ** 31) - 1 },
    13: { repeat: 2 ** 31 },
    15: { params: { lr: 1, wd: 2, mom: 3, extra: 4, more: 5 } }, // wider than the first record's params
    17: { result: { score: Infinity } },
  };
  const records = Array.from({ length: n }, (_, i) => record(i, odd[i]));
  const store = new RecordStore([], n);
  // the odd ones last, so that each turns a filled array into Float64 (and first, in a second store)
  for (let i = 0; i < n; i++) if (!(i in odd)) store.set(i, records[i]);
  for (const i of Object.keys(odd).map(Number)) store.set(i, records[i]);
  const again = new RecordStore(records);
  for (const made of [store.records(), again.records()]) {
    assertEquals(made, records);
    for (let i = 0; i < n; i++) {
      for (const f of ["index", "repeat", "attempts", "seed", "durationMs"] as const) {
        assert(Object.is(made[i][f], records[i][f]), `${f} of record ${i}: ${made[i][f]}`);
      }
      assert(Object.is(made[i].result!.acc, records[i].result!.acc));
    }
  }
});

Deno.test("record store: a position set again and again keeps its last record (params' room grown)", () => {
  const store = new RecordStore([], 4);
  for (let k = 0; k < 50; k++) {
    for (let i = 0; i < 4; i++) store.set(i, record(i, { attempts: k + 1 }));
  }
  assertEquals(store.records(), [0, 1, 2, 3].map((i) => record(i, { attempts: 50 })));
});
