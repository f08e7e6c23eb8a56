/**
 * `pythonJson` (summary.json, `report --json`): NaN, ±Infinity, -0.0 and bigints as Python's `json` reads
 * them, and a stored string that looks like its internal marker stays a string (before, the string
 * "\u0000sweepstore-number:NaN" in a run's parameters was written as a bare `NaN`). Read back by Python.
 */
import { assertEquals } from "./_assert.ts";
import { pythonJson } from "../src/formats/_python_json.ts";

Deno.test("pythonJson: special numbers as Python's tokens; marker-like strings stay strings", async () => {
  const value = {
    nan: NaN,
    inf: -Infinity,
    neg: -0,
    big: 2n ** 70n,
    forged: "\u0000sweepstore-number:NaN",
    list: [1.5, "\u0000sweepstore-number:-0.0"],
  };
  const text = pythonJson(value);
  const script = "import json,sys; v=json.loads(sys.stdin.read()); " +
    "print(json.dumps({k: repr(x) for k, x in v.items()}))";
  const child = new Deno.Command("/usr/bin/python3", {
    args: ["-c", script],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(text));
  await w.close();
  const out = JSON.parse(new TextDecoder().decode((await child.output()).stdout));
  assertEquals(out, {
    nan: "nan",
    inf: "-inf",
    neg: "-0.0",
    big: String(2n ** 70n),
    forged: "'\\x00sweepstore-number:NaN'",
    list: "[1.5, '\\x00sweepstore-number:-0.0']",
  });
});
