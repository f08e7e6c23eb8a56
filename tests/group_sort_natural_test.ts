/**
 * Run folders in natural order (`Exp2` before `Exp10`): the fast path for `<prefix><number>` names (no
 * object per name) orders exactly as the general path does.
 */
import { assertEquals } from "./_assert.ts";
import { sortNatural } from "../src/group/_load.ts";

/** `names` sorted by the general path: a name that does not fit (`zz`) forces it, then is removed. */
function general(names: string[]): string[] {
  const all = [...names, "zz"];
  sortNatural(all);
  return all.filter((n) => n !== "zz");
}

function shuffled(names: string[], seed: number): string[] {
  const out = names.slice();
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

Deno.test("numbered run folders sort as the general natural order does", () => {
  const numbered = Array.from({ length: 5000 }, (_, i) => `Exp${i + 1}`);
  const cases = [
    numbered,
    ["Exp01", "Exp1", "Exp001", "Exp2", "Exp10", "Exp0", "Exp00"],
    ["1", "10", "2", "01", "999999999999999"],
    ["Run_3", "Run_20", "Run_100"],
  ];
  for (const [k, names] of cases.entries()) {
    const fast = shuffled(names, k + 1);
    sortNatural(fast);
    assertEquals(fast, general(shuffled(names, k + 7)), `case ${k}`);
  }
  const sorted = shuffled(numbered, 3);
  sortNatural(sorted);
  assertEquals(sorted, numbered);
  const zeros = ["Exp10", "Exp01", "Exp2", "Exp1", "Exp001"];
  sortNatural(zeros);
  assertEquals(zeros, ["Exp001", "Exp01", "Exp1", "Exp2", "Exp10"]);
  // Names that do not fit (two prefixes, 16 digits, a digit in the prefix) take the general path.
  const mixed = ["b2", "a10", "a2", "b1"];
  sortNatural(mixed);
  assertEquals(mixed, ["a2", "a10", "b1", "b2"]);
  const long = ["E1234567890123456", "E2", "E10"];
  sortNatural(long);
  assertEquals(long, ["E2", "E10", "E1234567890123456"]);
});
