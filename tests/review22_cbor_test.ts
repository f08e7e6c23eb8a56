/**
 * Review 22: saveObj/loadObj of text strings where the encoder's buffer grows (a non-ASCII string there
 * was stored as zero bytes: "é" came back "\0\0", and Python's cbor2 read the same zeros), and the decoder's
 * table of short ASCII strings under collisions, near misses, lengths 0/12/13/14, non-ASCII twins and
 * decoding in worker threads at once.
 */
import { join } from "node:path";
import { assertEquals } from "./_assert.ts";
import { withTempDir } from "./_helpers.ts";
import { StorageManager } from "../mod.ts";
import { decodeObject, encodeObject } from "../src/formats/objects.ts";

Deno.test("a non-ASCII string where the encoder's buffer grows is stored as its UTF-8 bytes (saveObj, loadObj, cbor2)", async () => {
  // the buffer starts at 256 bytes: 123 to 125 one-letter strings put "é" 4 to 8 bytes before its end
  const values = Array.from(
    { length: 40 },
    (_, k) => [...Array(100 + k).fill("a"), "é", "€x", "😀", "ÿ".repeat(30)],
  );
  for (const v of values) assertEquals(decodeObject(encodeObject(v)), v);
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("O", { dataFolder: join(dir, "Data") });
    await sm.saveObj("v", values[23]);
    assertEquals(await sm.loadObj("v"), values[23]);
    const py = await new Deno.Command("/usr/bin/python3", {
      args: [
        "-c",
        "import cbor2, sys, json; print(json.dumps(cbor2.load(open(sys.argv[1], 'rb'))[-4:]))",
        join(sm.path, "v.cbor"),
      ],
      stdout: "piped",
    }).output();
    assertEquals(JSON.parse(new TextDecoder().decode(py.stdout)), values[23].slice(-4));
  });
});

Deno.test("the short-string table: collisions, near misses, lengths 0 to 14, non-ASCII twins, each read as written", () => {
  const words: string[] = [""];
  for (let n = 1; n <= 14; n++) {
    for (let k = 0; k < 300; k++) {
      words.push(
        Array.from({ length: n }, (_, i) => String.fromCharCode(32 + ((k * 7 + i * 13 + n) % 95)))
          .join(""),
      );
    }
  }
  const twins = words.flatMap((w) =>
    w
      ? [
        w.slice(0, -1) + String.fromCharCode(w.charCodeAt(w.length - 1) ^ 1),
        w.slice(0, -1) + "é",
        "é" + w.slice(1),
      ]
      : []
  );
  for (let round = 0; round < 3; round++) { // the table warm from earlier rounds: hits must still match
    const all = [...words, ...twins].sort(() => Math.random() - 0.5);
    assertEquals(decodeObject(encodeObject(all)), all);
    const asKeys = Object.fromEntries(all.map((w, i) => [w, i]));
    assertEquals(decodeObject(encodeObject(asKeys)), asKeys);
  }
});

Deno.test("decoding in four worker threads at once: every string as written", async () => {
  const src = `
    import { decodeObject, encodeObject } from ${
    JSON.stringify(new URL("../src/formats/objects.ts", import.meta.url).href)
  };
    self.onmessage = (e) => {
      const seed = e.data;
      let bad = 0;
      for (let r = 0; r < 200; r++) {
        const v = Array.from({ length: 64 }, (_, i) => "k" + ((i * 31 + r * seed) % 997).toString(36).padStart(seed % 13, "x"));
        const back = decodeObject(encodeObject(v));
        if (JSON.stringify(back) !== JSON.stringify(v)) bad++;
      }
      self.postMessage(bad);
    };`;
  const url = `data:application/typescript,${encodeURIComponent(src)}`;
  const workers = [1, 2, 3, 4].map(() => new Worker(url, { type: "module" }));
  try {
    const bad = await Promise.all(workers.map((w, i) =>
      new Promise<number>((resolve, reject) => {
        w.onmessage = (e) => resolve(e.data);
        w.onerror = (e) => reject(e);
        w.postMessage(i * 5 + 7);
      })
    ));
    assertEquals(bad, [0, 0, 0, 0]);
  } finally {
    for (const w of workers) w.terminate();
  }
});
