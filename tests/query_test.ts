import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { parseQuery, QueryError } from "../src/group/query.ts";

function matches(query: string, run: Record<string, unknown>): boolean {
  return parseQuery(query).test((k) => run[k]);
}

/** Fails unless `query` matches exactly the runs named in `expected`. */
function assertMatches(
  query: string,
  runs: Record<string, Record<string, unknown>>,
  expected: string[],
) {
  const q = parseQuery(query);
  const got = Object.keys(runs).filter((name) => q.test((k) => runs[name][k]));
  assertEquals(got, expected, query);
}

Deno.test("parseQuery() handles the seed's and the issue's examples", () => {
  assert(matches("number_of_neurons>1000", { number_of_neurons: 2000 }));
  assert(!matches("number_of_neurons>1000", { number_of_neurons: 1000 }));
  assert(matches("n>1000 && lr<=0.01", { n: 5000, lr: 0.01 }));
  assert(!matches("n>1000 && lr<=0.01", { n: 5000, lr: 0.1 }));
  assert(!matches("n>1000 && lr<=0.01", { n: 1000, lr: 0.001 }));
  assert(matches('tag=="alpha"', { tag: "alpha" }));
  assert(!matches('tag=="alpha"', { tag: "alphabet" }));
  assert(matches("tag=='alpha'", { tag: "alpha" }));
});

Deno.test("parseQuery() lists the keys it reads, lowercased and once each, and looks them up lowercased", () => {
  assertEquals(parseQuery("N>1 && LR<2 || n<0 || !Tag").keys, ["n", "lr", "tag"]);
  assertEquals(parseQuery("1 < 2").keys, []);
  assertEquals(parseQuery("a < B").keys, ["a", "b"]);
  const asked: string[] = [];
  parseQuery("Number_Of_Neurons>1").test((k) => (asked.push(k), 5));
  assertEquals(asked, ["number_of_neurons"]);
  assertEquals(parseQuery(" n > 1 ").source, " n > 1 ");
});

Deno.test("&& binds tighter than ||, parentheses group, and ! applies to a whole comparison", () => {
  const runs = {
    r1: { a: 2, b: 5, c: 3 },
    r2: { a: 0, b: 1, c: 3 },
    r3: { a: 0, b: 1, c: 4 },
    r4: { a: 0, b: 5, c: 3 },
  };
  assertMatches("a>1 || b<2 && c==3", runs, ["r1", "r2"]); // a>1 || (b<2 && c==3)
  assertMatches("b<2 && c==3 || a>1", runs, ["r1", "r2"]);
  assertMatches("(a>1 || b<2) && c==3", runs, ["r1", "r2"]);
  assertMatches("a>1 || (b<2 && c==4)", runs, ["r1", "r3"]);
  assertMatches("(a>1 || b<2) && (c==4)", runs, ["r3"]);
  assertMatches("((((a>1))))", runs, ["r1"]);
  assertMatches("!(a>1)", runs, ["r2", "r3", "r4"]);
  assertMatches("!a>1", runs, ["r2", "r3", "r4"]); // as Python's `not a>1`
  assertMatches("!!(a==2)", runs, ["r1"]);
  assertMatches("!(a>1 || b<2)", runs, ["r4"]);
  assertMatches("!a>1 && !(c==4)", runs, ["r2", "r4"]);
  assertMatches("a==0 && b==1 && c==4", runs, ["r3"]);
  assertMatches("a==2 || b==1 || c==99", runs, ["r1", "r2", "r3"]);
  assertMatches("not a>1 and (b==5 or c==4)", runs, ["r3", "r4"]);
});

Deno.test("white space is optional and may be tabs or newlines", () => {
  const run = { a: 2, b: 5 };
  assert(matches("a>=2&&b<=5", run));
  assert(matches("  a  >=  2  &&  b  <=  5  ", run));
  assert(matches("\ta>=2\n&&\r\nb<=5\n", run));
  assert(matches("( a == 2 )||( b == 0 )", run));
});

Deno.test("numbers: negative, fractions, exponents, underscores, inf, nan and exact big integers", () => {
  const run = { x: -1.5e-3, big: 10n, huge: 2n ** 64n, i: -Infinity, z: 0, f: NaN, k: 1000 };
  assert(matches("x==-0.0015", run));
  assert(matches("x==-1.5e-3 && x==-15E-4 && x==-.0015 && x==-0.15e-2", run));
  assert(matches("x<-1e-3 && x>-.002 && x>=-0.0015 && x<=-0.0015", run));
  assert(matches("x < +1", run));
  assert(matches("k==1_000 && k==1000. && k==1e3 && k==1E+3", run));
  assert(matches("big==10 && big>9.5 && big<10.5 && 10==big", run), "bigints compare with numbers");
  assert(matches("huge==18446744073709551616", run), "integer literals beyond 2^53 are exact");
  assert(!matches("huge==18446744073709551617", run));
  assert(matches("huge>18446744073709551615", run));
  assert(matches("i==-inf && i<-1e308 && -Infinity==i && k<inf && k<+inf", run));
  assert(matches("z==-0 && z==0.0", run));
  assert(matches("f==nan && k!=nan && NaN==f", run), "== nan tests for NaN");
  assert(!matches("k==nan || f!=nan", run));
  assert(matches("nan==nan && nan!=1", run));
  assert(!matches("f>1 || f<1 || f==1 || f>=-inf || f==f", run), "NaN is unordered and unequal");
  assert(matches("f!=1 && f!=f", run), "NaN is unequal to every number");
  assert(!matches("missing==nan || missing!=nan", run));
});

Deno.test("strings: either quote, escapes, and operators or quotes inside are text", () => {
  const run = {
    s: 'he said "hi" && left',
    t: "it's || \\ back",
    u: "tab\there\nline",
    e: "",
    emoji: "😀",
  };
  assert(matches('s=="he said \\"hi\\" && left"', run));
  assert(matches(`s=='he said "hi" && left'`, run));
  assert(matches(`t=="it's || \\\\ back"`, run));
  assert(matches("t=='it\\'s || \\\\ back'", run));
  assert(matches("u=='tab\\there\\nline'", run));
  assert(matches("u=='\\x74ab\\u0009here\\u{a}line'", run));
  assert(matches("emoji=='\\u{1F600}' && emoji=='\\ud83d\\ude00' && emoji=='😀'", run));
  assert(matches('e==""', run));
  assert(
    matches("s>'he' && s<'hf' && s>='he said' && 'a'<s", run),
    "strings order lexicographically",
  );
  assert(matches("'B'<'a'", {}), "by code unit: upper case before lower case");
});

Deno.test("booleans (also True/False) compare with == and != only; null (also None) tests for missing", () => {
  const run = { flag: true, off: false, none: null, n: 5, s: "x" };
  assert(matches("flag==true && flag!=False && off==False && off!=true && True==flag", run));
  assert(!matches("flag==1 || n==true || s==true", run), "booleans never equal numbers or strings");
  assert(matches("n!=true && s!=false", run));
  assert(matches("none==null && missing==None && null==missing && n!=null && s!=None", run));
  assert(!matches("none!=null || n==null", run));
  assert(matches("null==null && !(null!=None)", run));
  for (const q of ["flag>false", "n<null", "n>=nan", "None<=n", "true<flag"]) {
    assertThrows(
      () => parseQuery(q),
      SyntaxError,
      "only == and != compare with null, nan, true and false",
    );
  }
});

Deno.test("runs missing a key match no comparison on it, also not !=; ! negates that", () => {
  assert(!matches("n>1", {}));
  assert(!matches("n!=5", {}));
  assert(!matches("n!='x'", {}));
  assert(!matches("n!=true", {}));
  assert(!matches("n<1 || n>=1", {}));
  assert(!matches("n>1", { n: null }));
  assert(!matches("n!=5", { n: undefined }));
  assert(!matches("a==b || a!=b", { a: 1 }), "a comparison of two keys needs both");
  assert(matches("!(n>1)", {}), "! of a comparison on a missing key is true");
  assert(matches("!(n!=5)", {}));
  assert(!matches("n", {}), "a missing key on its own is false");
  assert(matches("!n", {}));
});

Deno.test("values of different types are unequal and unordered; two keys compare by value", () => {
  const run = { n: 5, s: "5", list: [1, 2], obj: { a: 1 }, a: 3, b: 3, c: "x" };
  assert(!matches('n=="5"', run), "a number never equals a string");
  assert(matches('n!="5" && s!=5', run));
  assert(!matches('n>"4" || n<"6" || s>4 || s<6', run), "numbers and strings are unordered");
  assert(!matches("list==1 || list>0 || obj==1", run));
  assert(matches("list!=1 && obj!='x'", run));
  assert(matches("a==b && a>=b && !(a<b) && a!=c && !(a<c) && !(a>c)", run));
  assert(
    matches("2<n && 6>n && 5==n && 5>=n && 5<=n && 4!=n", run),
    "the value may stand on the left",
  );
  assert(matches("1 < 2 && 'a' != 'b' && !(1 == '1')", run), "two values compare as constants");
});

Deno.test("a key on its own is true when its value is truthy as in Python", () => {
  const truthy = [true, 1, -0.5, 10n, "x", [0], { a: 0 }, Infinity];
  const falsy = [false, 0, -0, 0n, "", [], {}, NaN, null, undefined];
  for (const v of truthy) assert(matches("v", { v }), `${String(v)} is truthy`);
  for (const v of falsy) {
    assert(!matches("v", { v }) && matches("!v", { v }), `${String(v)} is falsy`);
  }
});

Deno.test("keys may hold dots, dashes, digits and letters beyond ASCII; other names go in backticks", () => {
  const run: Record<string, unknown> = {
    "layer.size": 10,
    "learning-rate": 0.1,
    p1: 1,
    _x: 2,
    "größe": 3,
    "my key": 4,
    "2nd": 5,
    true: 6,
    "a`b": 7,
    "x>y": 8,
  };
  assert(matches("layer.size==10 && learning-rate<0.2 && p1==1 && _x==2 && größe==3", run));
  assert(matches("`my key`==4 && `2nd`==5 && `true`==6 && `a\\`b`==7 && `x>y`==8", run));
  assert(matches("`My Key`==4", run), "backtick keys are case-insensitive too");
  assertEquals(parseQuery("`My Key`>1 && learning-rate>0").keys, ["my key", "learning-rate"]);
  assert(matches("learning-rate>-1", run), "a dash after an operator starts a number");
});

Deno.test("malformed queries throw a SyntaxError that says what was expected, with the column and a caret", () => {
  const cases: [string, number, string][] = [
    ["n>", 3, 'Expected a value or a parameter name after ">", found the end of the query'],
    ["", 1, "The query is empty"],
    ["   ", 4, "The query is empty"],
    ["n>1 &&", 7, 'Expected a comparison (such as n>1000), "(" or "!" after "&&"'],
    ["n>1 ||", 7, 'after "||"'],
    ["n>1 && || m<2", 8, 'after "&&", found "||"'],
    ["!", 2, 'after "!"'],
    ["(n>1", 5, 'Expected ")" to close the "(" of column 1'],
    ["((n>1) && (m<2)", 16, 'Expected ")" to close the "(" of column 1'],
    ["n>1)", 4, 'Unmatched ")"'],
    ["()", 2, 'Expected a comparison (such as n>1000), "(" or "!", found ")"'],
    ["n=1", 2, 'Unexpected "=" at column 2 (write "==" to compare)'],
    ["n===1", 4, 'Unexpected "="'],
    ["n => 1", 3, '"=>" is not an operator at column 3 (write ">=")'],
    ["n =< 1", 3, 'write "<="'],
    ["n <> 1", 3, 'write "!="'],
    ["n>1 & m<2", 5, 'Unexpected "&" at column 5 (write "&&")'],
    ["n>1 | m<2", 5, 'write "||"'],
    ["n>1 ||| m<2", 7, 'Unexpected "|"'],
    ["n>'open", 3, "Unterminated string at column 3 (add the closing ')"],
    ['n>"open\\"', 3, "Unterminated string"],
    ["`open>1", 1, "Unterminated backtick-quoted parameter name"],
    ["``>1", 1, "Empty parameter name"],
    ["n=='a\\qb'", 6, 'Unknown escape "\\q"'],
    ["n=='\\x4'", 5, 'Unknown escape "\\x"'],
    ["n>1 m<2", 5, 'Expected "&&", "||" or the end of the query, found "m"'],
    ["n>1 (m<2)", 5, 'found "("'],
    ["n @ 2", 3, 'Unexpected character "@"'],
    ["n>1 # comment", 5, 'Unexpected character "#"'],
    ["1 > 2 3", 7, 'found "3"'],
    ["5", 2, 'Expected a comparison operator (> < >= <= == !=) after "5"'],
    ["'a' && n>1", 5, 'after "\'a\'", found "&&"'],
    ["n>1abc", 3, 'Malformed number "1abc"'],
    ["n>1.2.3", 3, 'Malformed number "1.2.3"'],
    ["n>1e", 3, 'Malformed number "1e"'],
    ["n>0x10", 3, 'Malformed number "0x10"'],
    ["x > > 2", 5, 'after ">", found ">"'],
    ["x > && 2", 5, 'after ">", found "&&"'],
    ["x > )", 5, 'found ")"'],
    ["n>-x", 3, 'Unexpected "-" before "x" at column 3 (a sign goes only before a number)'],
    ["n<null", 2, '"<" never matches null'],
    ["flag > true", 6, '">" never matches true'],
    ["é>1 && x=", 9, 'Unexpected "="'], // columns count characters
    ["'😀'==x && y=", 12, 'Unexpected "="'], // an emoji is one column
  ];
  for (const [query, column, text] of cases) {
    const err = assertThrows(() => parseQuery(query), SyntaxError, text);
    const [first, shown, caret] = err.message.split("\n");
    assert(first.includes(`at column ${column}`), `${JSON.stringify(query)}: ${err.message}`);
    assert(first.endsWith(":"), err.message);
    assertEquals(shown, `  ${query.replace(/\s/g, " ")}`, `the query is shown: ${err.message}`);
    assertEquals(
      caret,
      `  ${" ".repeat(column - 1)}^`,
      `caret under column ${column}: ${err.message}`,
    );
  }
});

Deno.test("the SyntaxError message reads as documented", () => {
  const err = assertThrows(() => parseQuery("n>"), SyntaxError);
  assertEquals(
    err.message,
    'Expected a value or a parameter name after ">", found the end of the query at column 3:\n  n>\n    ^',
  );
  const tab = assertThrows(() => parseQuery("\tn>"), SyntaxError);
  assertEquals(tab.message.split("\n").slice(1), ["   n>", "     ^"], "a tab shows as one space");
});

Deno.test("parseQuery() rejects non-strings with a TypeError and never evaluates code", () => {
  assertThrows(() => parseQuery(42 as unknown as string), TypeError, "got number");
  const before = (globalThis as Record<string, unknown>).pwned;
  assertThrows(() => parseQuery("(globalThis.pwned = 1)"), SyntaxError);
  assertThrows(() => parseQuery("constructor.constructor('return 1')()"), SyntaxError);
  assertThrows(() => parseQuery("n>1; Deno.exit(1)"), SyntaxError);
  assertEquals((globalThis as Record<string, unknown>).pwned, before);
  assert(!matches("constructor==1 || __proto__==1 || toString", {}));
});

Deno.test("a parsed query can be applied many times and agrees with the same test written by hand", () => {
  let seed = 3;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const q = parseQuery("p1>0.5 && p2<0.3 || !(tag=='b') && p3!=null");
  for (let i = 0; i < 2000; i++) {
    const run = new Map<string, unknown>();
    if (rand() < 0.9) run.set("p1", rand());
    if (rand() < 0.9) run.set("p2", rand());
    if (rand() < 0.5) run.set("p3", rand());
    run.set("tag", rand() < 0.5 ? "a" : "b");
    const p1 = run.get("p1") as number | undefined, p2 = run.get("p2") as number | undefined;
    const expected = (p1 !== undefined && p1 > 0.5 && p2 !== undefined && p2 < 0.3) ||
      (run.get("tag") !== "b" && run.has("p3"));
    assertEquals(q.test((k) => run.get(k)), expected);
  }
});

/** Fails unless `fn` throws a QueryError (whose message includes `includes`); returns it. */
function queryError(fn: () => unknown, includes?: string): QueryError {
  return assertThrows(fn, QueryError, includes) as QueryError;
}

Deno.test("a malformed query throws a QueryError (a SyntaxError) with its position, column and text", () => {
  const err = queryError(() => parseQuery("é>1 && x=1"), 'Unexpected "="');
  assert(err instanceof SyntaxError, "existing catches of SyntaxError still work");
  assertEquals(err.name, "QueryError");
  assertEquals([err.position, err.column, err.query], [8, 9, "é>1 && x=1"]);
  const emoji = queryError(() => parseQuery("'😀'==x && y="));
  assertEquals(
    [emoji.position, emoji.column],
    [12, 12],
    "position: 0-based UTF-16 index; column: 1-based in characters",
  );
  assertEquals(emoji.query.slice(emoji.position), "=");
  for (const query of ["", "n>", "n>'open", "n>1abc", "(n>1", "n>1)", "n<null", "n @ 2"]) {
    const e = queryError(() => parseQuery(query));
    assertEquals(e.query, query);
    assert(e.position >= 0 && e.position <= query.length, `${query}: ${e.position}`);
    assert(e.message.includes(`at column ${e.column}`), e.message);
  }
});

Deno.test("deeply nested queries give a QueryError, never a stack overflow; long chains work", () => {
  const deep = "(".repeat(10_000) + "n>1" + ")".repeat(10_000);
  const err = queryError(() => parseQuery(deep), "Parentheses nested more than 200 deep");
  assertEquals(err.position, 200, "points at the 201st (");
  queryError(() => parseQuery("(".repeat(10_000)), "nested more than 200");
  queryError(() => parseQuery("!(".repeat(10_000) + "n>1"), "nested more than 200");
  assert(
    parseQuery("(".repeat(200) + "n>1" + ")".repeat(200)).test(() => 2),
    "200 levels are fine",
  );
  // Chains are loops, not recursion: parsing and testing them needs no deep stack.
  const nots = parseQuery("!".repeat(100_001) + "(n>1)");
  assert(nots.test(() => 0) && !nots.test(() => 2), "an odd chain of ! negates");
  assert(parseQuery("not ".repeat(10_000) + "n>1").test(() => 2), "an even chain of not does not");
  const and = parseQuery(Array.from({ length: 100_000 }, (_, i) => `n>${i}`).join(" && "));
  assert(and.test(() => 100_000) && !and.test(() => 99_999));
  const or = parseQuery(Array.from({ length: 100_000 }, (_, i) => `n==${i}`).join(" || "));
  assert(or.test(() => 99_999) && !or.test(() => -1));
  const mixed = parseQuery(
    Array.from({ length: 50_000 }, (_, i) => `(n==${i} && m>0)`).join(" or "),
  );
  assert(mixed.test((k) => (k === "n" ? 49_999 : 1)) && !mixed.test(() => 0));
});

Deno.test("the message of a long query shows 60 characters either side of the column, caret below", () => {
  const query = "(".repeat(300) + "n>1" + ")".repeat(300);
  const err = queryError(() => parseQuery(query), "at column 201");
  const [, shown, caret] = err.message.split("\n");
  assertEquals(shown, `  …${"(".repeat(121)}…`);
  assertEquals(caret, `  ${" ".repeat(61)}^`, "under the 201st (");
  const end = queryError(() => parseQuery("a>1 && ".repeat(40) + "b="), 'Unexpected "="');
  const [, shownEnd, caretEnd] = end.message.split("\n");
  assert(shownEnd.startsWith("  …") && shownEnd.endsWith("b="), shownEnd);
  assertEquals(caretEnd.length, shownEnd.length, "the caret is under the last character");
  const tokens = Array.from({ length: 40 }, (_, i) => `p${i}>0`).join(" && ");
  const mid = queryError(
    () => parseQuery(`${tokens} && x @ 1 && ${tokens}`),
    "Unexpected character",
  );
  const [, shownMid, caretMid] = mid.message.split("\n");
  assertEquals(shownMid[caretMid.length - 1], "@");
  assert(shownMid.startsWith("  …") && shownMid.endsWith("…"), shownMid);
});
