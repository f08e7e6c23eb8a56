/**
 * The local pool's queue of waiting tasks (`runner/local/_pending_queue.ts`): tasks are taken in sweep order
 * as first attempts, tasks put back go first (in their order), retries go last; `clear` drops everything.
 */
import { assertEquals } from "./_assert.ts";
import { PendingQueue } from "../runner/local/_pending_queue.ts";
import { expandSweep } from "../runner/mod.ts";

const tasks = expandSweep({ grid: { n: [0, 1, 2, 3, 4] } });
const take = (q: PendingQueue, n = Infinity) => {
  const out: string[] = [];
  while (q.length && out.length < n) {
    const p = q.shift()!;
    out.push(`${p.task.index}/${p.attempt}`);
  }
  return out;
};

Deno.test("a pending queue gives the sweep's tasks in order, put-back ones first, retries last", () => {
  const q = new PendingQueue(tasks);
  assertEquals(q.length, 5);
  const [a, b] = [q.shift()!, q.shift()!];
  assertEquals([a.task, a.attempt, b.task, b.attempt], [tasks[0], 1, tasks[1], 1]);
  q.push({ task: a.task, attempt: 2 }); // a retry: after every task waiting
  q.unshift(b); // a slot's unstarted task: first again
  assertEquals(q.length, 5);
  assertEquals(take(q, 2), ["1/1", "2/1"]);
  q.unshift({ task: tasks[2], attempt: 1 }, { task: tasks[4], attempt: 3 }); // in their order
  q.push({ task: tasks[3], attempt: 2 });
  assertEquals(take(q), ["2/1", "4/3", "3/1", "4/1", "0/2", "3/2"]);
  assertEquals([q.length, q.shift()], [0, undefined]);
  q.push({ task: tasks[1], attempt: 2 });
  q.unshift({ task: tasks[0], attempt: 1 });
  assertEquals(take(q), ["0/1", "1/2"]);
});

Deno.test("a pending queue cleared (the pool stopped) holds nothing, whatever it held", () => {
  const q = new PendingQueue(tasks);
  q.shift();
  q.push({ task: tasks[0], attempt: 2 });
  q.unshift({ task: tasks[1], attempt: 1 });
  q.clear();
  assertEquals([q.length, q.shift()], [0, undefined]);
  assertEquals(new PendingQueue().length, 0);
});
