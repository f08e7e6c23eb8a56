import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { parseQuery } from "../src/query.ts";

function matches(query: string, run: Record<string, unknown>): boolean {
  return parseQuery(query).test((k) => run[k]);
}

Deno.test("parseQuery() handles the seed's and the issue's examples", () => {
  assert(matches("number_of_neurons>1000", { number_of_neurons: 2000 }));
  assert(!matches("number_of_neurons>1000", { number_of_neurons: 1000 }));
  assert(matches("n>1000 && lr<=0.01", { n: 5000, lr: 0.01 }));
  assert(!matches("n>1000 && lr<=0.01", { n: 5000, lr: 0.1 }));
  assert(matches('tag=="alpha"', { tag: "alpha" }));
  assert(matches("tag=='alpha'", { tag: "alpha" }));
  assertEquals(parseQuery("N>1 && LR<2").keys, ["n", "lr"]);
});

Deno.test("&& binds tighter than ||, parentheses and ! group, and words and/or/not work too", () => {
  const run = { a: 2, b: 5, c: 3 };
  assert(matches("a>1 || b<2 && c==4", run)); // a>1 || (b<2 && c==4)
  assert(!matches("(a>1 || b<2) && c==4", run));
  assert(matches("!(a>5)", run));
  assert(matches("not a>5 and (b==5 or c==0)", run));
  assert(matches("!!(a==2)", run));
  assert(matches("  a  >=  2  &&  b<=5  ", run));
});

Deno.test("numbers, strings with escapes, booleans and null compare as their types", () => {
  const run = { x: -1.5e-3, s: 'he said "hi" && left', flag: true, big: 10n, none: null };
  assert(matches("x==-0.0015", run));
  assert(matches("x<-1e-3", run));
  assert(matches("x>-.002", run));
  assert(matches('s=="he said \\"hi\\" && left"', run));
  assert(matches("s>'he'", run), "strings order lexicographically");
  assert(matches("flag==true && flag!=False", run));
  assert(matches("flag", run), "a bare key is true when its value is true");
  assert(matches("big==10 && big>9.5", run), "bigints compare with numbers");
  assert(matches("none==null && missing==None", run));
  assert(matches("x!=null", run));
  assert(!matches('x=="-0.0015"', run), "a number never equals a string");
  assert(matches('x!="-0.0015"', run));
  assert(!matches("flag>false", run), "booleans are not ordered");
  assert(matches("2<x || 1>x", run), "the value may stand on the left");
});

Deno.test("runs missing a key do not match a comparison on it; ! negates that", () => {
  assert(!matches("n>1", {}));
  assert(!matches("n!=5", {}));
  assert(!matches("n<1 || n>=1", {}));
  assert(matches("!(n>1)", {}));
  assert(!matches("n>1", { n: null }));
});

Deno.test("malformed queries throw a SyntaxError with the column and a caret", () => {
  const cases: [string, number, string][] = [
    ["n>", 3, "Expected a parameter name or a value"],
    ["", 1, "empty"],
    ["n>1 &&", 7, "Expected"],
    ["(n>1", 5, 'Expected ")"'],
    ["n=1", 2, '"=="'],
    ["n>1 & m<2", 5, '"&&"'],
    ["n>'open", 3, "Unterminated string"],
    ["n>1 m<2", 5, "Expected"],
    ["n @ 2", 3, "Unexpected character"],
    ["1 > 2 3", 7, "Expected"],
    ["n>1abc", 3, "Malformed number"],
    ["x > > 2", 5, "Expected a parameter name or a value"],
  ];
  for (const [query, column, text] of cases) {
    const err = assertThrows(() => parseQuery(query), SyntaxError, text);
    assert(err.message.includes(`column ${column}`), `${query}: ${err.message}`);
    const lines = err.message.split("\n");
    assertEquals(
      lines[2].indexOf("^"),
      column + 1,
      `caret under column ${column} of ${JSON.stringify(query)}`,
    );
  }
  assertThrows(() => parseQuery("n<null"), SyntaxError, "null");
});

Deno.test("parseQuery() never evaluates code", () => {
  const before = (globalThis as Record<string, unknown>).pwned;
  assertThrows(() => parseQuery("(globalThis.pwned = 1)"), SyntaxError);
  assertThrows(() => parseQuery("constructor.constructor('return 1')()"), SyntaxError);
  assertEquals((globalThis as Record<string, unknown>).pwned, before);
  assert(!matches("constructor==1", {}));
});
