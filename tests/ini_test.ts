import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { python, withTempDir } from "./_helpers.ts";
import {
  type IniData,
  iniValueSurvives,
  parseIni,
  stringifyIni,
  validateKey,
  validateSection,
} from "../src/formats/ini.ts";

/** A deterministic random number generator (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Reads each file with configparser and prints, per file, either the sections with each key's get() value
// (or, where get() raises an interpolation error, the lenient reading: the raw text with %% as %), or the
// parsing error and its line number.
const READ_SCRIPT = `
import configparser, json, sys
out = []
for path in json.load(open(sys.argv[1])):
    c = configparser.ConfigParser()
    try:
        c.read(path, encoding='utf-8')
    except configparser.MissingSectionHeaderError as e:
        out.append({'error': type(e).__name__, 'line': e.lineno}); continue
    except configparser.ParsingError as e:
        out.append({'error': type(e).__name__, 'line': e.errors[0][0]}); continue
    except configparser.Error as e:
        out.append({'error': type(e).__name__, 'line': e.lineno}); continue
    res = {}
    names = c.sections() + (['DEFAULT'] if c.defaults() else [])
    for s in names:
        pairs = []
        for k in c[s]:
            try:
                pairs.append([k, c.get(s, k)])
            except configparser.InterpolationError:
                pairs.append([k, c.get(s, k, raw=True).replace('%%', '%')])
        res[s] = pairs
    out.append({'sections': res})
print(json.dumps(out))
`;

type PythonRead = { error: string; line: number } | {
  sections: Record<string, [string, string][]>;
};

/** What configparser reads from each text (written to a file as UTF-8). */
async function configparserReads(dir: string, texts: string[]): Promise<PythonRead[]> {
  const paths: string[] = [];
  for (let i = 0; i < texts.length; i++) {
    paths.push(`${dir}/case${i}.ini`);
    await Deno.writeTextFile(paths[i], texts[i]);
  }
  await Deno.writeTextFile(`${dir}/paths.json`, JSON.stringify(paths));
  return JSON.parse(await python(READ_SCRIPT, [`${dir}/paths.json`]));
}

/** Our reading of a text, in the same form as configparserReads() (an empty [DEFAULT] is not shown). */
function ourRead(text: string): PythonRead | { error: string; message: string; line: number } {
  let data: IniData;
  try {
    data = parseIni(text, "case.ini");
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    const m = /^case\.ini, line (\d+): /.exec(err.message);
    assert(m, `the error names the source and the line: ${err.message}`);
    return { error: "SyntaxError", message: err.message, line: Number(m[1]) };
  }
  const sections: Record<string, [string, string][]> = {};
  for (const [name, section] of data) {
    if (name === "DEFAULT" && section.size === 0) continue;
    sections[name] = [...section];
  }
  return { sections };
}

function compareReads(texts: string[], theirs: PythonRead[]): void {
  texts.forEach((text, i) => {
    const ours = ourRead(text);
    const their = theirs[i];
    const where = `case ${i}: ${JSON.stringify(text)}`;
    if ("error" in their) {
      assert("error" in ours, `${where}: configparser raises ${their.error}, we read it`);
      if (their.error === "ParsingError") assertEquals(ours.line, their.line, where);
      // configparser raises duplicates and a missing header at once, other errors at the end: our first
      // error is at or before its line.
      else {assert(
          ours.line <= their.line,
          `${where}: we fail at line ${ours.line}, it at ${their.line}`,
        );}
    } else {
      assert(
        !("error" in ours),
        `${where}: configparser reads it, we fail: ${JSON.stringify(ours)}`,
      );
      assertEquals(ours.sections, their.sections, where);
    }
  });
}

Deno.test("parseIni() reads hand-written files as configparser's get() does", async () => {
  const texts = [
    // comments anywhere, also inside multi-line values; no inline comments
    "; comment\n# another\n[S]\nKey = v1\n  continued\n; not part of it\n  # indented comment\n\tmore\n" +
    "other: 2\nx = a ; b # c\n",
    // blank lines inside a value are kept, trailing ones dropped; deeper indentation continues
    "[S]\na = first\n\n   third\n\n\nb = 1\n  [not a header]\n\n",
    // delimiters: the first "=" or ":" splits; white space around keys and values is stripped
    "[S]\nk:v = w\nk2 = a: b\n  spaced key   =   spaced value  \nempty =\nempty2:\n",
    // section headers run to the last "]"; text after it is ignored
    "[a] = [b]\nx = 1\n[ spaced ]\ny = 2\n[S] trailing text\nz = 3\n",
    // an indented first key sets the indentation continuations must exceed
    "[S]\n  a = 1\n    more\n  b = 2\nc = 3\n d\n",
    // CRLF, CR
    "[S]\r\na = 1\r\n  two\rb = 2\r",
    // Python's white space: form feed, vertical tab, \x1c, NEL, no-break space are stripped
    "[S]\na = \x0cv\x0b\nb =\u00a0w\u3000\nc = x\x1c\n\u00a0d = 4\n\u2003e\x85 = 5\n",
    // interpolation: %% is %, %(name)s from the section or DEFAULT, lenient where configparser raises
    "[S]\npct = 50%% done\nlone = 50% done\nbase = /data\npath = %(base)s/x\ndeep = %(path)s/y\n" +
    "missing = %(nope)s\nmixed = 100%% and 5%\nupper = %(BASE)s\nbad = %(base)\n",
    // DEFAULT: shown in every section after its own keys; its own values win; repeated headers merge
    "[DEFAULT]\nd = 1\nshared = %(own)s!\n[S]\nown = s\nd = 2\n[T]\nown = t\n[DEFAULT]\ne = 3\n",
    // references see raw values: DEFAULT's own %% and references are interpolated once, where used
    "[DEFAULT]\npct = 5%%\nref = %(pct)s of %(own)s\n[S]\nown = s%%\na = %(pct)s and %(ref)s\n" +
    "b = %(a)s\n[T]\nown = t\n",
    // recursion deeper than 10 levels, and a cycle: configparser raises, we keep the text
    "[S]\na0 = x\n" + Array.from({ length: 11 }, (_, i) => `a${i + 1} = %(a${i})s`).join("\n") +
    "\ncycle = %(cycle)s\n",
    // keys are lowercased (also non-ASCII), values keep their case
    "[S]\nCamelKey = MixedValue\nÄÖ = Ü\n",
    // unicode and long lines
    `[Ünïcödé ✓]\nk = ${"µ".repeat(500)} 😀\n`,
    // empty file, only comments, an empty section
    "",
    "# only a comment\n\n",
    "[Empty]\n[Other]\na = 1\n",
    // a value made only of blank continuation lines
    "[S]\na =\n\n  \n\t\nb = 2\n",
    // errors
    "k = v\n[S]\n",
    "  indented = before a section\n[S]\n",
    "[S]\njust text\n",
    "[S]\na = 1\nA = 2\n",
    "[S]\n[S]\n",
    "[S]\n= v\n",
    "[S]\n : v\n",
    "[S]\n[]\n",
    "[DEFAULT]\na = 1\n[DEFAULT]\nA = 2\n",
  ];
  await withTempDir(async (dir) => compareReads(texts, await configparserReads(dir, texts)));
});

Deno.test("parseIni() agrees with configparser on 600 random files (differential fuzz)", async () => {
  const rand = random(20240611);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
  const indents = ["", "", "", "", " ", "  ", "\t", "\u00a0", "\x0c", "   "];
  const valueChars = [..."abcXYZ019 .,=:;#[]'\"\\%%%%()s\t", "\u00a0", "\x85", "\x0c", "é", "😀"];
  const keys = ["a", "b", "Key", "k2", "ä", "x y", "%p", "k]"];
  const value = () => {
    let s = "";
    for (let n = Math.floor(rand() * 12); n > 0; n--) {
      s += rand() < 0.1 ? pick(["%(a)s", "%(b)s", "%(key)s", "%%", "%("]) : pick(valueChars);
    }
    return s;
  };
  const line = (): string => {
    const r = rand();
    if (r < 0.12) return pick(["[S]", "[T]", " [S] x", "[DEFAULT]", "[a]b]", "[]", "[ s ]"]);
    if (r < 0.6) {
      return pick(indents) + pick(keys) + pick(["=", ":", " = ", ": ", "\t=\t", " :"]) + value();
    }
    if (r < 0.72) return pick(["", " ", "\t", "\u00a0"]);
    if (r < 0.8) return pick(indents) + pick(["#", ";"]) + value();
    if (r < 0.97) return pick(indents.slice(4)) + value() + "x"; // continuation lines, or junk
    return "junk";
  };
  const texts = Array.from({ length: 600 }, () => {
    const lines = [rand() < 0.9 ? "[S]" : line()];
    for (let n = Math.floor(rand() * 14); n > 0; n--) lines.push(line());
    const eol = pick(["\n", "\n", "\n", "\r\n", "\r"]);
    return lines.join(eol) + (rand() < 0.8 ? eol : "");
  });
  await withTempDir(async (dir) => {
    const theirs = await configparserReads(dir, texts);
    compareReads(texts, theirs);
    const errors = theirs.filter((r) => "error" in r).length;
    // The generator makes both kinds of file often enough to test them.
    assert(errors > 50 && errors < 550, `${errors} of 600 files are malformed`);
  });
});

Deno.test("parseIni() skips a byte order mark, as configparser does when reading with utf-8-sig", () => {
  assertEquals(parseIni("\ufeff[S]\na = 1\n"), new Map([["S", new Map([["a", "1"]])]]));
});

Deno.test("parseIni() reads the PymoNNto config.ini example", () => {
  const text =
    "[Parameters]\ntime = 1795556792.7312794\na = 1\nb = True\nc = [1, 2, 3]\nd = None\n" +
    "e = 50percent done\nf = 1.5e-07\ng = {'x': 1}\ncamelkey = 3\ns = text with = and ; # chars\n" +
    "n = multi\n\tline\n\n";
  const ini = parseIni(text, "config.ini");
  assertEquals([...ini.keys()], ["Parameters"]);
  assertEquals(Object.fromEntries(ini.get("Parameters")!), {
    time: "1795556792.7312794",
    a: "1",
    b: "True",
    c: "[1, 2, 3]",
    d: "None",
    e: "50percent done",
    f: "1.5e-07",
    g: "{'x': 1}",
    camelkey: "3",
    s: "text with = and ; # chars",
    n: "multi\nline",
  });
  assertEquals(stringifyIni(ini), text);
});

const WRITE_SCRIPT = `
import configparser, io, json, sys
cases = json.load(open(sys.argv[1]))
out = []
for sections in cases:
    c = configparser.ConfigParser()
    for name, pairs in sections:
        if name != 'DEFAULT':
            c.add_section(name)
        for k, v in pairs:
            c.set(name, k, v.replace('%', '%%'))
    b = io.StringIO()
    c.write(b)
    text = b.getvalue()
    back = configparser.ConfigParser()
    back.read_string(text)
    out.append({'text': text, 'back': {n: [back.get(n, k) for k, _ in p] for n, p in sections}})
print(json.dumps(out))
`;

Deno.test("stringifyIni() writes byte for byte what configparser.write() writes, and configparser reads back the values iniValueSurvives() accepts", async () => {
  const rand = random(77);
  const chars = [
    ..."ab Z9.=:;#[]'\"\\%()\t\n\n",
    "\u00a0",
    "\x85",
    "\x0c",
    "\x1c",
    "é",
    "😀",
    "\u2028",
  ];
  const randomValue = () => {
    let s = "";
    for (let n = Math.floor(rand() * 10); n > 0; n--) s += chars[Math.floor(rand() * chars.length)];
    return s;
  };
  const fixed = [
    "1",
    "100% sure, 50%% doubled",
    "line one\nline two\n\nline four",
    "= : ; # [x] 'q' \"d\"",
    "µ-Ωmega ✓",
    "",
    "\nstarts with a line break",
    "a\n#comment-like",
    "a\n[section-like]",
    "trailing\n",
    " padded ",
  ];
  const cases: [string, [string, string][]][][] = [];
  for (let c = 0; c < 60; c++) {
    const values = c === 0 ? fixed : Array.from({ length: 20 }, randomValue);
    const pairs = values.map((v, i): [string, string] => [`k${i}`, v]);
    cases.push(
      c % 10 === 1
        ? [["Parameters", pairs], ["DEFAULT", [["d", "x"]]], ["Run", [["s", "done"]]]]
        : [["Parameters", pairs]],
    );
  }
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/cases.json`, JSON.stringify(cases));
    const theirs: { text: string; back: Record<string, string[]> }[] = JSON.parse(
      await python(WRITE_SCRIPT, [`${dir}/cases.json`]),
    );
    let survived = 0;
    cases.forEach((sections, i) => {
      const data: IniData = new Map(sections.map(([n, p]) => [n, new Map(p)]));
      const text = stringifyIni(data);
      assertEquals(text, theirs[i].text, `case ${i}`);
      for (const [name, pairs] of sections) {
        pairs.forEach(([k, v], j) => {
          const back = theirs[i].back[name][j];
          assertEquals(
            iniValueSurvives(v),
            back === v,
            `${JSON.stringify(v)} → ${JSON.stringify(back)}`,
          );
          if (back === v) survived++;
          // We read our text as configparser does, also where configparser changes the value.
          assertEquals(parseIni(text).get(name)!.get(k), back, JSON.stringify(v));
        });
      }
    });
    assert(survived > 200, `${survived} values survived`);
  });
});

Deno.test("stringifyIni() refuses keys, section names and values that would change the file's structure", () => {
  const write = (key: string, value = "v", section = "S") =>
    stringifyIni(new Map([[section, new Map([[key, value]])]]));
  for (const key of ["", "a=b", "a:b", "#a", ";a", " a", "a ", "a\nb", "Upper", "[a"]) {
    assertThrows(() => write(key, "[x]"), TypeError, "validateKey");
  }
  assertEquals(write("[a", "no closing bracket"), "[S]\n[a = no closing bracket\n\n");
  assertEquals(parseIni(write("[a", "x")).get("S")!.get("[a"), "x");
  assertThrows(() => write("a", "one\rtwo"), TypeError, "\\r");
  assertThrows(() => write("a", "v", "a\nb"), TypeError, "section");
  assertThrows(() => write("a", "v", ""), TypeError, "section");
  assertThrows(
    () => stringifyIni(new Map([["S", new Map([["a", 1 as unknown as string]])]])),
    TypeError,
    "formatParam",
  );
});

Deno.test("malformed ini text is a SyntaxError naming the source and the line", () => {
  const cases: [string, string][] = [
    ["k = v\n[S]\n", 'line 1: "k = v" comes before any [section] header'],
    ["\n\n[S]\njust text\n", "line 4: expected"],
    ["[S]\na = 1\nA = 2\n", 'line 3: key "a" appears twice in [S]'],
    ["[S]\n[T]\n[S]\n", "line 3: section [S] appears twice"],
    ["[S]\n= v\n", "line 2: a value without a key"],
  ];
  for (const [text, message] of cases) {
    const err = assertThrows(() => parseIni(text, "/runs/x/config.ini"), SyntaxError, message);
    assert(err.message.startsWith("/runs/x/config.ini, line "), err.message);
  }
  assertThrows(() => parseIni("junk"), SyntaxError, "<ini text>, line 1");
});

Deno.test("keys are case-insensitive as in configparser: lowercased when read, and by validateKey()", async () => {
  const ini = parseIni("[Parameters]\nNumberOfNeurons = 100\n");
  assertEquals([...ini.get("Parameters")!.keys()], ["numberofneurons"]);
  assertEquals(validateKey("NumberOfNeurons"), "numberofneurons");
  const text = stringifyIni(new Map([["Parameters", new Map([[validateKey("MyKey"), "1"]])]]));
  const out = await python(
    `import configparser, sys
c = configparser.ConfigParser(); c.read_string(sys.argv[1])
print(c['Parameters']['MYKEY'], c.get('Parameters', 'mykey'))`,
    [text],
  );
  assertEquals(out, "1 1\n");
});

Deno.test("validateKey() refuses keys that break the ini or escape a folder, with a clear message", () => {
  for (
    const good of ["a", "Number_of.Neurons-2", "w[0]", "lr (1/s)".replace("/", "_"), "µ", "a b"]
  ) {
    assertEquals(validateKey(good), good.toLowerCase());
  }
  const bad: [string, string][] = [
    ["", "is empty"],
    ["a=b", '"="'],
    ["a:b", '":"'],
    ["[a", "starts with"],
    ["]a", "starts with"],
    ["#a", "starts with"],
    [";a", "starts with"],
    [" a", "white space"],
    ["a ", "white space"],
    ["a\u00a0", "white space"],
    ["a\nb", "line break"],
    ["a\rb", "line break"],
    ["a\x00b", "control character"],
    ["a/b", '"/"'],
    ["a\\b", '"\\"'],
    ["..", '".."'],
    ["a..b", '".."'],
    ["a\ud800", "surrogate"],
  ];
  for (const [key, message] of bad) {
    const err = assertThrows(() => validateKey(key), TypeError, message);
    assert(err.message.includes(JSON.stringify(key)), err.message);
  }
  assertThrows(() => validateKey(3 as unknown as string), TypeError, "string");
});

Deno.test("validateSection() keeps good names and refuses names that break the ini", () => {
  for (const good of ["Run", "Parameters", "my section", "Ünï.2"]) {
    assertEquals(validateSection(good), good);
  }
  for (const bad of ["", "a]b", "[a", " a", "a ", "a\nb", "a\tb", "DEFAULT"]) {
    const err = assertThrows(() => validateSection(bad), TypeError);
    assert(err.message.includes(JSON.stringify(bad)), err.message);
  }
  assertThrows(() => validateSection("DEFAULT"), TypeError, "defaults");
});

Deno.test("iniValueSurvives() accepts what configparser reads back unchanged", () => {
  for (const good of ["", "a", "50% done", "a\nb", "a\n\nb", "\nb", "a\n[b]", "x = y ; z # w"]) {
    assert(iniValueSurvives(good), JSON.stringify(good));
  }
  for (const bad of [" a", "a\t", "a\n", "a\n b", "a\n#b", "a\n;b", "a\rb", "a\u00a0", "\ud800"]) {
    assert(!iniValueSurvives(bad), JSON.stringify(bad));
  }
});
