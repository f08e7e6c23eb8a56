import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { python, withTempDir } from "./_helpers.ts";
import { decodePickle } from "../src/pickle.ts";
import { StorageError } from "../src/errors.ts";

Deno.test("decodePickle() reads plain data pickled with protocols 0 to 5", async () => {
  await withTempDir(async (dir) => {
    await python(
      `import pickle, sys
shared = [1, 2]
value = {'int': 7, 'neg': -300000, 'big': 2**70, 'nbig': -2**64, 'float': 2.5, 'inf': float('inf'),
         'str': 'héllo ✓', 'bytes': b'\\x00\\x01', 'list': [1, 'a', None, True, False], 'tuple': (1, (2, 3)),
         'set': {1, 2}, 'frozen': frozenset(['x']), 'intkeys': {1: 'one', 2: 'two'}, 'a': shared, 'b': shared,
         'empty': {}, 'emptyt': (), 'long_str': 'x' * 300}
for p in range(6):
    with open(f'{sys.argv[1]}/p{p}.obj', 'wb') as f:
        pickle.dump(value, f, protocol=p)
cyc = []; cyc.append(cyc)
with open(f'{sys.argv[1]}/cyc.obj', 'wb') as f:
    pickle.dump({'c': cyc}, f, protocol=4)`,
      [dir],
    );
    for (let p = 0; p <= 5; p++) {
      const v = decodePickle(await Deno.readFile(`${dir}/p${p}.obj`), `p${p}.obj`) as Record<
        string,
        unknown
      >;
      assertEquals(v.int, 7, `protocol ${p}`);
      assertEquals(v.neg, -300000);
      assertEquals(v.big, 2n ** 70n);
      assertEquals(v.nbig, -(2n ** 64n));
      assertEquals(v.float, 2.5);
      assertEquals(v.inf, Infinity);
      assertEquals(v.str, "héllo ✓");
      assertEquals(v.bytes, new Uint8Array([0, 1]));
      assertEquals(v.list, [1, "a", null, true, false]);
      assertEquals(v.tuple, [1, [2, 3]]);
      assertEquals(v.set, new Set([1, 2]));
      assertEquals(v.frozen, new Set(["x"]));
      assertEquals(v.intkeys, new Map([[1, "one"], [2, "two"]]));
      assertEquals(v.empty, {});
      assertEquals(v.emptyt, []);
      assertEquals(v.long_str, "x".repeat(300));
      if (p >= 1) assert(v.a === v.b, `protocol ${p}: a shared list stays shared`);
    }
    const cyc = decodePickle(await Deno.readFile(`${dir}/cyc.obj`)) as { c: unknown[] };
    assert(cyc.c[0] === cyc.c, "a cyclic list comes back cyclic");
  });
});

Deno.test("decodePickle() refuses class instances (numpy arrays) and never runs a malicious REDUCE", async () => {
  await withTempDir(async (dir) => {
    await python(
      `import pickle, sys, os, numpy as np
with open(f'{sys.argv[1]}/np.obj', 'wb') as f:
    pickle.dump({'w': np.zeros(3)}, f)
class Evil:
    def __reduce__(self):
        return (os.system, (f'touch {sys.argv[1]}/pwned',))
for p in (0, 2, 4):
    with open(f'{sys.argv[1]}/evil{p}.obj', 'wb') as f:
        pickle.dump(Evil(), f, protocol=p)`,
      [dir],
    );
    const err = assertThrows(
      () => decodePickle(Deno.readFileSync(`${dir}/np.obj`), `${dir}/np.obj`),
      StorageError,
    );
    assert(err.message.includes("numpy") && err.message.includes(`${dir}/np.obj`), err.message);
    for (const p of [0, 2, 4]) {
      assertThrows(
        () => decodePickle(Deno.readFileSync(`${dir}/evil${p}.obj`)),
        StorageError,
        "system",
      );
    }
    let pwned = true;
    try {
      await Deno.stat(`${dir}/pwned`);
    } catch {
      pwned = false;
    }
    assertEquals(pwned, false, "nothing was executed");
  });
});

Deno.test("decodePickle() of corrupt or truncated data is a StorageError naming the source", () => {
  const good = new Uint8Array([
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
  assertEquals(decodePickle(good), "hello");
  assertThrows(() => decodePickle(good.subarray(0, 14), "/r/x.obj"), StorageError, "/r/x.obj");
  assertThrows(() => decodePickle(new Uint8Array([0xee])), StorageError, "opcode");
  assertThrows(() => decodePickle(new Uint8Array([0x2e])), StorageError, "empty");
});
