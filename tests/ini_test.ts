import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { python, withTempDir } from "./_helpers.ts";
import { parseIni, stringifyIni, validateKey, validateSection } from "../src/ini.ts";

Deno.test("parseIni() reads a file that configparser wrote, like configparser's get()", async () => {
  await withTempDir(async (dir) => {
    await python(
      `import configparser, sys
c = configparser.ConfigParser()
c['Parameters'] = {'Time': '1795556792.7312794', 'pct': '50%% done', 'multi': 'first\\nsecond\\n\\nfourth', 'eq': 'a = b ; c # d', 'colon': 'x: y', 'empty': ''}
c['Other'] = {'k': '[1, 2, 3]'}
with open(sys.argv[1], 'w') as f:
    c.write(f)`,
      [`${dir}/config.ini`],
    );
    const ini = parseIni(await Deno.readTextFile(`${dir}/config.ini`));
    assertEquals([...ini.keys()], ["Parameters", "Other"]);
    assertEquals(Object.fromEntries(ini.get("Parameters")!), {
      time: "1795556792.7312794",
      pct: "50% done",
      multi: "first\nsecond\n\nfourth",
      eq: "a = b ; c # d",
      colon: "x: y",
      empty: "",
    });
    assertEquals(ini.get("Other")!.get("k"), "[1, 2, 3]");
  });
});

Deno.test("configparser reads back every value stringifyIni() wrote", async () => {
  await withTempDir(async (dir) => {
    const values = new Map([
      ["a", "1"],
      ["pct", "100% sure, 50%% doubled"],
      ["multi", "line one\nline two\n\nline four"],
      ["chars", "= : ; # [x] 'q' \"d\""],
      ["unicode", "µ-Ωmega ✓"],
      ["empty", ""],
    ]);
    await Deno.writeTextFile(
      `${dir}/c.ini`,
      stringifyIni(new Map([["Parameters", values], ["Run", new Map([["s", "done"]])]])),
    );
    const out = await python(
      `import configparser, json, sys
c = configparser.ConfigParser()
c.read(sys.argv[1], encoding='utf-8')
print(json.dumps({s: dict(c[s]) for s in c.sections()}))`,
      [`${dir}/c.ini`],
    );
    assertEquals(JSON.parse(out), { Parameters: Object.fromEntries(values), Run: { s: "done" } });
  });
});

Deno.test("stringifyIni() writes what configparser.write() writes for the same values", async () => {
  const values = new Map([["a", "1"], ["b", "two words"], ["m", "x\ny"], ["p", "5%"]]);
  const ours = stringifyIni(new Map([["Parameters", values]]));
  const theirs = await python(
    `import configparser, json, sys, io
c = configparser.ConfigParser()
c['Parameters'] = {k: v.replace('%', '%%') for k, v in json.loads(sys.argv[1]).items()}
b = io.StringIO(); c.write(b); print(b.getvalue(), end='')`,
    [JSON.stringify(Object.fromEntries(values))],
  );
  assertEquals(ours, theirs);
});

Deno.test("parseIni() follows configparser: comments, indented continuations, keys lowercased, a lone % kept", () => {
  const ini = parseIni(
    "; comment\n# another\n[S]\nKey = v1\n  continued\n; not part of it\n\tmore\nother: 2\nlone = 50% done\n[S2]\nx=1\n  [not a header: continues x]\n",
  );
  assertEquals(Object.fromEntries(ini.get("S")!), {
    key: "v1\ncontinued\nmore",
    other: "2",
    lone: "50% done",
  });
  assertEquals(ini.get("S2")!.get("x"), "1\n[not a header: continues x]");
});

Deno.test("malformed ini text is a SyntaxError naming the source and the line", () => {
  const cases: [string, string][] = [
    ["k = v\n[S]\n", "line 1"],
    ["[S]\njust text\n", "line 2"],
    ["[S]\na = 1\nA = 2\n", "appears twice"],
    ["[S]\n[S]\n", "appears twice"],
    ["[S]\n= v\n", "line 2"],
  ];
  for (const [text, message] of cases) {
    const err = assertThrows(() => parseIni(text, "/runs/x/config.ini"), SyntaxError, message);
    assert(err.message.includes("/runs/x/config.ini"), err.message);
  }
});

Deno.test("validateKey() lowercases good keys and refuses keys that break the ini or escape a folder", () => {
  assertEquals(validateKey("Number_of.Neurons-2"), "number_of.neurons-2");
  for (
    const bad of [
      "",
      "a=b",
      "a:b",
      "[a",
      "#a",
      ";a",
      " a",
      "a ",
      "a\nb",
      "a/b",
      "a\\b",
      "..",
      "a..b",
    ]
  ) {
    assertThrows(() => validateKey(bad), TypeError);
  }
  assertEquals(validateSection("Run"), "Run");
  for (const bad of ["", "a]b", "[a", " a", "DEFAULT", "a\nb"]) {
    assertThrows(() => validateSection(bad), TypeError);
  }
});
