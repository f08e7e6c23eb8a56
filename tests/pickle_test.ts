import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { python, withTempDir } from "./_helpers.ts";
import { decodePickle } from "../src/formats/pickle.ts";
import { StorageError } from "../src/errors.ts";
import { Buffer } from "node:buffer";

/** Writes every fixture with one python3 run: protocols 0–5 of plain data, cycles, numpy, classes, attacks. */
const FIXTURES = `import collections, os, pickle, sys
import numpy as np
d = sys.argv[1]

def dump(name, value, protocol=None):
    with open(f'{d}/{name}.obj', 'wb') as f:
        pickle.dump(value, f, protocol=protocol)

shared = [1, 2]
plain = {
    'int': 7, 'neg': -300000, 'i32': -2**31, 'u32': 2**32, 'safe': 2**53 - 1, 'big': 2**70, 'nbig': -2**64, 'i53': 2**53,
    'float': 2.5, 'negz': -0.0, 'nan': float('nan'), 'inf': float('inf'), 'ninf': float('-inf'), 'tiny': 5e-324,
    'str': 'h\\u00e9llo \\u2713 \\\\ \\n \\r \\x00 \\U0001d11e', 'empty_str': '', 'long_str': 'x' * 300,
    'bytes': b'\\x00\\x01\\xff', 'empty_bytes': b'', 'bytearray': bytearray(b'ab'), 'all_bytes': bytes(range(256)),
    'latin': ''.join(map(chr, range(1, 256))) + '\\u0100\\uffff',
    'list': [1, 'a', None, True, False], 'tuple': (1, (2, 3)), 'emptyt': (), 'empty': {},
    'set': {1, 2}, 'frozen': frozenset(['x']), 'intkeys': {1: 'one', 2: 'two'}, 'tuplekeys': {(1, 2): 'a'},
    'mixed': {'a': 1, 3: 'b'}, '__proto__': 'data', 'ordered': collections.OrderedDict([('z', 1), ('a', 2)]),
    'numpy': [np.float64(0.5), np.float32(1.5), np.float16(-2.0), np.int64(-3), np.int64(2**60), np.uint8(200),
              np.int32(-7), np.uint64(2**64 - 1), np.bool_(True), np.bool_(False)],
    'a': shared, 'b': shared, 'many': list(range(2500)), 'manykeys': {f'k{i}': i for i in range(1500)},
}
for p in range(6):
    dump(f'plain{p}', plain, p)
dump('default', {'score': 0.93, 'runs': [1, 2, 3], 'name': 'alpha'})  # as PymoNNto's save_obj writes

lst = []
lst.append(lst)
dct = {}
dct['self'] = dct
inner = []
rec = (inner,)
inner.append(rec)
for p in range(6):
    dump(f'cyclic{p}', {'list': lst, 'dict': dct, 'tuple': rec, 'again': dct}, p)

for p in range(6):
    dump(f'ndarray{p}', {'w': np.zeros(3)}, p)
dump('complex', np.complex128(1j), 4)
dump('dtype', np.dtype('f8'), 4)
dump('classref', {'t': int}, 4)

class Point:
    def __init__(self):
        self.x = 1

class Evil:
    def __reduce__(self):
        return (os.system, (f'touch {d}/pwned',))

class EvalEvil:
    def __reduce__(self):
        return (eval, (f"open('{d}/pwned', 'w')",))

for p in range(6):
    dump(f'point{p}', {'p': Point()}, p)
    dump(f'evil{p}', Evil(), p)
    dump(f'eval{p}', [EvalEvil()], p)
`;

function read(dir: string, name: string): unknown {
  return decodePickle(Deno.readFileSync(`${dir}/${name}.obj`), `${dir}/${name}.obj`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("decodePickle() on pickles that Python wrote (protocols 0 to 5)", async (t) => {
  await withTempDir(async (dir) => {
    await python(FIXTURES, [dir]);

    await t.step("reads plain data of every protocol with the documented types", () => {
      for (let p = 0; p <= 5; p++) {
        const v = read(dir, `plain${p}`) as Record<string, unknown>;
        const at = `protocol ${p}`;
        assertEquals(v.int, 7, at);
        assertEquals(v.neg, -300000, at);
        assertEquals(v.i32, -(2 ** 31), at);
        assertEquals(v.u32, 2 ** 32, at);
        assertEquals(v.safe, 2 ** 53 - 1, at);
        assertEquals(v.big, 2n ** 70n, at);
        assertEquals(v.nbig, -(2n ** 64n), at);
        assertEquals(v.i53, 2n ** 53n, at);
        assertEquals(v.float, 2.5, at);
        assert(Object.is(v.negz, -0), at);
        assert(Number.isNaN(v.nan), at);
        assertEquals([v.inf, v.ninf, v.tiny], [Infinity, -Infinity, 5e-324], at);
        assertEquals(v.str, "héllo ✓ \\ \n \r \0 𝄞", at);
        assertEquals(v.empty_str, "", at);
        assertEquals(v.long_str, "x".repeat(300), at);
        assertEquals(v.bytes, new Uint8Array([0, 1, 255]), at);
        assertEquals(v.empty_bytes, new Uint8Array(), at);
        assertEquals(v.bytearray, new Uint8Array([97, 98]), at);
        assertEquals(v.all_bytes, Uint8Array.from({ length: 256 }, (_, i) => i), at);
        assertEquals(
          v.latin,
          String.fromCharCode(...Array.from({ length: 255 }, (_, i) => i + 1)) + "\u0100\uffff",
          at,
        );
        assertEquals(v.list, [1, "a", null, true, false], at);
        assertEquals(v.tuple, [1, [2, 3]], at);
        assertEquals(v.emptyt, [], at);
        assertEquals(v.empty, {}, at);
        assertEquals(v.set, new Set([1, 2]), at);
        assertEquals(v.frozen, new Set(["x"]), at);
        assertEquals(v.intkeys, new Map([[1, "one"], [2, "two"]]), at);
        assertEquals(v.tuplekeys, new Map([[[1, 2], "a"]]), at);
        assertEquals(v.mixed, new Map<unknown, unknown>([["a", 1], [3, "b"]]), at);
        assertEquals(Object.getOwnPropertyDescriptor(v, "__proto__")?.value, "data", at);
        assertEquals(Object.getPrototypeOf(v), Object.prototype, at);
        assertEquals(v.ordered, { z: 1, a: 2 }, at);
        assertEquals(Object.keys(v.ordered as object), ["z", "a"], at);
        assertEquals(
          v.numpy,
          [0.5, 1.5, -2, -3, 2n ** 60n, 200, -7, 2n ** 64n - 1n, true, false],
          at,
        );
        assert(v.a === v.b, `${at}: a shared list stays shared`);
        assertEquals(v.many, Array.from({ length: 2500 }, (_, i) => i), at);
        assertEquals(Object.keys(v.manykeys as object).length, 1500, at);
      }
      assertEquals(read(dir, "default"), { score: 0.93, runs: [1, 2, 3], name: "alpha" });
    });

    await t.step("keeps cyclic lists, dicts and recursive tuples of every protocol", () => {
      for (let p = 0; p <= 5; p++) {
        const v = read(dir, `cyclic${p}`) as Record<string, unknown>;
        const list = v.list as unknown[];
        assert(list[0] === list, `protocol ${p}: a list that holds itself`);
        const dict = v.dict as Record<string, unknown>;
        assert(dict.self === dict && v.again === dict, `protocol ${p}: a dict that holds itself`);
        const tuple = v.tuple as unknown[][];
        assert(tuple[0][0] === tuple, `protocol ${p}: a tuple inside its own list`);
      }
    });

    await t.step("refuses numpy arrays, naming numpy.ndarray and the file", () => {
      for (let p = 0; p <= 5; p++) {
        const err = assertThrows(() => read(dir, `ndarray${p}`), StorageError, "numpy.ndarray");
        assert(
          err.message.includes(`${dir}/ndarray${p}.obj holds a pickled Python object`),
          err.message,
        );
        assert(err.message.includes("np.save"), err.message);
        assertEquals((err as StorageError).path, `${dir}/ndarray${p}.obj`);
        assertEquals((err as StorageError).code, "unsupported");
      }
      assertThrows(() => read(dir, "complex"), StorageError, "numpy.complex128");
      assertThrows(() => read(dir, "dtype"), StorageError, "numpy.dtype");
      const classRef = assertThrows(() => read(dir, "classref"), StorageError, "builtins.int");
      assertEquals((classRef as StorageError).code, "unsupported");
    });

    await t.step("refuses class instances and never runs os.system or eval", async () => {
      for (let p = 0; p <= 5; p++) {
        assertThrows(() => read(dir, `point${p}`), StorageError, "of class __main__.Point");
        assertThrows(() => read(dir, `evil${p}`), StorageError, "system");
        assertThrows(() => read(dir, `eval${p}`), StorageError, "builtins.eval");
      }
      assertEquals(await exists(`${dir}/pwned`), false, "nothing was executed");
    });
  });
});

Deno.test("decodePickle() of corrupt, truncated or damaged data is a StorageError naming the source", () => {
  // pickle.dumps('hello', protocol=4)
  const hello = new Uint8Array([
    0x80,
    4,
    0x95,
    9,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0x8c,
    5,
    0x68,
    0x65,
    0x6c,
    0x6c,
    0x6f,
    0x94,
    0x2e,
  ]);
  assertEquals(decodePickle(hello), "hello");
  for (let n = 0; n < hello.length; n++) {
    assertThrows(() => decodePickle(hello.subarray(0, n), "/r/x.obj"), StorageError, "/r/x.obj");
  }
  const cases: [number[], string][] = [
    [[0xee], "unknown opcode 0xee"],
    [[0x2e], "no value on the stack"],
    [[0x80, 6, 0x4e, 0x2e], "protocol 6"],
    [[0x68, 3, 0x2e], "memo reference 3"],
    [[0x4e, 0x61, 0x2e], "no value on the stack"],
    [[0x4b, 1, 0x4b, 2, 0x61, 0x2e], "not a list"],
    [[0x28, 0x4b, 1, 0x64, 0x2e], "odd number"],
    [[0x49, 0x78, 0x0a, 0x2e], "malformed INT"],
    [[0x8c, 2, 0xc3, 0x28, 0x2e], "UTF-8"],
    [[0x8b, 0xff, 0xff, 0xff, 0xff, 0x2e], "negative length"],
    [[0x42, 0xff, 0xff, 0xff, 0x7f, 0x2e], "ends too early"],
    [[0x51, 0x2e], "BINPERSID"],
  ];
  for (const [bytes, message] of cases) {
    const err = assertThrows(
      () => decodePickle(new Uint8Array(bytes), "bad.obj"),
      StorageError,
      message,
    );
    // a newer protocol or an outside object is a valid pickle this reader cannot read; the rest is damage
    const unsupported = message === "protocol 6" || message === "BINPERSID";
    assertEquals((err as StorageError).code, unsupported ? "unsupported" : "corrupt", message);
  }
});

Deno.test("decodePickle() returns bytes of their own, also from a Node Buffer", () => {
  // pickle.dumps([b'\\x01\\x02', b'\\x03'], protocol=4)
  const bytes = new Uint8Array([
    0x80,
    4,
    0x95,
    0x0e,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0x5d,
    0x94,
    0x28,
    0x43,
    2,
    1,
    2,
    0x94,
    0x43,
    1,
    3,
    0x94,
    0x65,
    0x2e,
  ]);
  // a Node Buffer over part of a larger buffer (as from Node's pool): its slice() would not copy
  const backing = new Uint8Array(bytes.length + 16);
  backing.set(bytes, 8);
  const v = decodePickle(Buffer.from(backing.buffer, 8, bytes.length)) as Uint8Array[];
  assertEquals(v, [new Uint8Array([1, 2]), new Uint8Array([3])]);
  assertEquals(v[0].buffer.byteLength, 2, "a copy, not a view into the input");
  assertEquals(Object.getPrototypeOf(v[0]), Uint8Array.prototype);
});

Deno.test("decodePickle() reads Python 2 str opcodes (STRING, BINSTRING) as latin-1 text", () => {
  const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));
  // S'a\x80\'b\n'  (protocol 0 STRING, a Python 2 str repr)
  assertEquals(decodePickle(new Uint8Array([...ascii("S'a\\x80\\'b\\n'\n"), 0x2e])), "a\x80'b\n");
  // SHORT_BINSTRING and BINSTRING with raw bytes 0x80 and 0xe9
  assertEquals(decodePickle(new Uint8Array([0x55, 3, 0x61, 0x80, 0xe9, 0x2e])), "a\x80\xe9");
  assertEquals(decodePickle(new Uint8Array([0x54, 2, 0, 0, 0, 0x9f, 0x62, 0x2e])), "\x9fb");
  // L123L\n (Python 2 long), I01\n (True)
  assertEquals(decodePickle(new Uint8Array(ascii("(L123L\nI01\nI-5\nt."))), [123, true, -5]);
});

Deno.test("decodePickle() of random damage gives a value or a StorageError, and deep nesting is no problem", () => {
  // pickle.dumps({'a': [1, 2.5, (True, None)], 'b': {1, 2}}, protocol=2): protocol 2 sets use REDUCE
  const good = new Uint8Array([
    0x80,
    2,
    0x7d,
    0x71,
    0,
    0x28,
    0x58,
    1,
    0,
    0,
    0,
    0x61,
    0x71,
    1,
    0x5d,
    0x71,
    2,
    0x28,
    0x4b,
    1,
    0x47,
    0x40,
    4,
    0,
    0,
    0,
    0,
    0,
    0,
    0x88,
    0x4e,
    0x86,
    0x71,
    3,
    0x65,
    0x58,
    1,
    0,
    0,
    0,
    0x62,
    0x71,
    4,
    0x63,
    0x5f,
    0x5f,
    0x62,
    0x75,
    0x69,
    0x6c,
    0x74,
    0x69,
    0x6e,
    0x5f,
    0x5f,
    0x0a,
    0x73,
    0x65,
    0x74,
    0x0a,
    0x71,
    5,
    0x5d,
    0x71,
    6,
    0x28,
    0x4b,
    1,
    0x4b,
    2,
    0x65,
    0x85,
    0x71,
    7,
    0x52,
    0x71,
    8,
    0x75,
    0x2e,
  ]);
  assertEquals(decodePickle(good), { a: [1, 2.5, [true, null]], b: new Set([1, 2]) });
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 3000; i++) {
    const bad = good.slice();
    bad[Math.floor(random() * bad.length)] = Math.floor(random() * 256);
    try {
      decodePickle(bad, "bad.obj");
    } catch (err) {
      assert(err instanceof StorageError, `${err}`);
    }
  }
  // 100,000 nested lists: EMPTY_LIST × n, APPEND × (n − 1), STOP
  const n = 100_000;
  const deep = new Uint8Array(2 * n);
  deep.fill(0x5d, 0, n);
  deep.fill(0x61, n, 2 * n - 1);
  deep[2 * n - 1] = 0x2e;
  let v = decodePickle(deep) as unknown[];
  let depth = 1;
  while (v.length) {
    v = v[0] as unknown[];
    depth++;
  }
  assertEquals(depth, n);
});
