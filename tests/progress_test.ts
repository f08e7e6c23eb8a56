import { assert, assertEquals } from "./_assert.ts";
import { Progress } from "../runner/cli/progress.ts";

Deno.test("Progress prints plain lines with counts, runs/s and ETA, at most one per interval", () => {
  const out: string[] = [];
  const p = new Progress({ mode: false, intervalS: 3600, write: (t) => out.push(t) });
  p.update({ done: 3, failed: 1, running: 2, total: 10 });
  p.update({ done: 4, failed: 1, running: 2, total: 10 }); // within the interval: not printed
  p.finish({ done: 9, failed: 1, running: 0, total: 10 });
  assertEquals(out.length, 2);
  assert(
    /^4\/10 \(40%\) done 3 failed 1 running 2 · [\d.]+ runs\/s · elapsed \d+s · ETA \S+\n$/.test(
      out[0],
    ),
    out[0],
  );
  assert(
    out[1].startsWith("10/10 (100%) done 9 failed 1 running 0") && out[1].includes("ETA 0s"),
    out[1],
  );
});

Deno.test("Progress draws a live bar on a terminal and stays silent when off", () => {
  const bar: string[] = [];
  const p = new Progress({ mode: true, write: (t) => bar.push(t) });
  p.update({ done: 5, failed: 0, running: 1, total: 10 });
  p.finish({ done: 10, failed: 0, running: 0, total: 10 });
  assert(bar[0].startsWith("\r\x1b[2K[############------------] 5/10"), JSON.stringify(bar[0]));
  assert(bar[1].startsWith("\r\x1b[2K10/10") && bar[1].endsWith("\n"));
  const off: string[] = [];
  const q = new Progress({ mode: "off", write: (t) => off.push(t) });
  q.update({ done: 1, failed: 0, running: 0, total: 1 });
  q.finish({ done: 1, failed: 0, running: 0, total: 1 });
  assertEquals(off, []);
});
