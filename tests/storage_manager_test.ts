import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { fixture, probeVideo, python, run, withTempDir } from "./_helpers.ts";
import { Recorder } from "../src/run/recorder.ts";
import { StorageManager } from "../src/run/storage_manager.ts";
import { StorageError } from "../src/errors.ts";

const dec = new TextDecoder();

Deno.test("StorageManager.create() makes <Data>/StorageManager/<Name>/<Name><nr> with a time parameter", async () => {
  await withTempDir(async (dir) => {
    const before = Date.now() / 1000;
    const sm = await StorageManager.create("MyName", { dataFolder: `${dir}/Data` });
    assertEquals(sm.path, `${dir}/Data/StorageManager/MyName/MyName1`);
    assertEquals(sm.name, "MyName1");
    assertEquals(sm.dataFolder, `${dir}/Data`);
    const time = await sm.loadParam("time");
    assert(typeof time === "number" && time >= before - 1 && time <= Date.now() / 1000 + 1);
    const rnd = await StorageManager.create("MyName", {
      randomNr: true,
      dataFolder: `${dir}/Data`,
    });
    assert(/^MyName\d+$/.test(rnd.name), rnd.name);
    const fixed = await StorageManager.create("MyName", {
      randomNr: 77,
      dataFolder: `${dir}/Data`,
    });
    assertEquals(fixed.name, "MyName77");
    const renamed = await StorageManager.create("MyName", {
      folderName: "trial",
      dataFolder: `${dir}/Data`,
    });
    assertEquals(renamed.path, `${dir}/Data/StorageManager/MyName/trial1`);
  });
});

Deno.test("StorageManager.create() finds the Data folder by searching upwards from the working directory", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/Data`);
    await Deno.mkdir(`${dir}/scripts/deep`, { recursive: true });
    const cwd = Deno.cwd();
    Deno.chdir(`${dir}/scripts/deep`);
    try {
      const sm = await StorageManager.create("Up");
      assertEquals(sm.path, `${dir}/Data/StorageManager/Up/Up1`);
    } finally {
      Deno.chdir(cwd);
    }
  });
});

Deno.test("StorageManager.create() refuses names that would escape the Data folder", async () => {
  await withTempDir(async (dir) => {
    for (const bad of ["../x", "a/b", "..", ".hidden"]) {
      await assertRejects(() => StorageManager.create(bad, { dataFolder: dir }), TypeError);
    }
  });
});

Deno.test("saveParamDict(), saveParam() and loadParam() round-trip values and types, keys case-insensitive", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("P", { dataFolder: dir });
    const values = {
      a: 1,
      b: true,
      c: [1, 2, 3],
      f: 1e-7,
      s: "50% done",
      n: null,
      m: "two\nlines",
      o: { x: 1, y: ["a", false] },
      ambiguous: "1",
    };
    await sm.saveParamDict(values, { section: "Parameters" });
    await sm.saveParam("CamelKey", 3);
    await sm.saveParam("score", 0.93, { section: "Results" });
    const again = await StorageManager.open(sm.path);
    for (const [k, v] of Object.entries(values)) assertEquals(await again.loadParam(k), v, k);
    assertEquals(await again.loadParam("camelkey"), 3);
    assertEquals(await again.loadParam("CAMELKEY"), 3);
    assertEquals(await again.loadParam("score", { section: "Results" }), 0.93);
    assertEquals(await again.loadParam("score"), undefined);
    assertEquals(await again.loadParam("missing", { default: null }), null);
    assertEquals(await again.loadParam("x", { section: "NoSuchSection", default: 5 }), 5);
    assertEquals(again.sections(), ["Parameters", "Results"]);
  });
});

Deno.test("configparser and PymoNNto's load_param read what saveParam wrote", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("Py", { dataFolder: dir });
    await sm.saveParamDict({ a: 1, b: true, f: 1e-7, g: 2.5, s: "50% done", c: [1, 2, 3] });
    const out = await python(
      `
import configparser, json, sys
c = configparser.ConfigParser()
c.read(sys.argv[1])
def load_param(v):
    if v in ('True', 'False'): return v == 'True'
    if '.' in v: return float(v)
    try: return int(v)
    except ValueError: return v
p = c['Parameters']
print(json.dumps({k: [load_param(p[k]), type(load_param(p[k])).__name__] for k in ['a', 'b', 'f', 'g', 's', 'c']}))
`,
      [`${sm.path}/config.ini`],
    );
    assertEquals(JSON.parse(out), {
      a: [1, "int"],
      b: [true, "bool"],
      f: [1e-7, "float"],
      g: [2.5, "float"],
      s: ["50% done", "str"],
      c: ["[1, 2, 3]", "str"],
    });
  });
});

Deno.test("two StorageManager objects on one folder never erase each other's params", async () => {
  await withTempDir(async (dir) => {
    const a = await StorageManager.create("Two", { dataFolder: dir });
    const b = await StorageManager.open(a.path);
    await a.saveParam("from_a", 1);
    await b.saveParam("from_b", 2);
    await Promise.all([a.saveParam("x", 1), b.saveParam("y", 2), a.saveParam("z", 3)]);
    const c = await StorageManager.open(a.path);
    assertEquals(await c.loadParams(), {
      time: (await c.loadParam("time")) as number,
      from_a: 1,
      from_b: 2,
      x: 1,
      y: 2,
      z: 3,
    });
    assertEquals(await a.loadParam("from_b"), 2, "a sees b's write");
  });
});

Deno.test("several processes saving params into one run folder lose none", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("Procs", { dataFolder: dir });
    const procs = ["p", "q", "r", "s"].map((prefix) =>
      run(Deno.execPath(), [
        "run",
        "--allow-read",
        "--allow-write",
        fixture("param_writer.ts"),
        sm.path,
        prefix,
        "40",
      ])
    );
    for (const out of await Promise.all(procs)) assertEquals(out.code, 0, out.stderr);
    const params = await (await StorageManager.open(sm.path)).loadParams();
    for (const prefix of ["p", "q", "r", "s"]) {
      for (let j = 0; j < 40; j++) assertEquals(params[`${prefix}${j}`], j, `${prefix}${j}`);
    }
  });
});

Deno.test("keys that could escape the folder or break the ini are refused with a clear error", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("Keys", { dataFolder: dir });
    for (const key of ["a=b", "[x", "a\nb", " lead", "trail ", "a/b", "..", ""]) {
      await assertRejects(() => sm.saveParam(key, 1), TypeError);
    }
    for (const key of ["../up", "a/b", "a\\b", ".hidden"]) {
      await assertRejects(() => sm.saveNp(key, [1]), TypeError);
      await assertRejects(() => sm.saveObj(key, 1), TypeError);
    }
    await assertRejects(() => sm.saveParam("f", () => 1), TypeError, '"f"');
  });
});

Deno.test("a corrupt config.ini gives a StorageError naming the file", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("Bad", { dataFolder: dir });
    await Deno.writeTextFile(`${sm.path}/config.ini`, "no section header\n= =\n");
    const err = await assertRejects(() => StorageManager.open(sm.path), StorageError);
    assert(err.message.includes(`${sm.path}/config.ini`), err.message);
  });
});

Deno.test("saveNp() writes arrays numpy loads; loadNp() of a missing key throws StorageError not_found", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("Np", { dataFolder: dir });
    await sm.saveNp("weights", {
      data: Float32Array.from({ length: 12 }, (_, i) => i / 3),
      shape: [3, 4],
    });
    await sm.saveNp("nested", [[1, 2], [3, 4]]);
    const out = await python(
      `
import numpy as np, sys
w = np.load(sys.argv[1] + '/weights.npy'); n = np.load(sys.argv[1] + '/nested.npy')
assert w.dtype == np.float32 and w.shape == (3, 4)
assert np.array_equal(w, (np.arange(12, dtype=np.float64) / 3).astype(np.float32).reshape(3, 4))
assert n.dtype == np.float64 and n.tolist() == [[1, 2], [3, 4]]
print('ok')
`,
      [sm.path],
    );
    assertEquals(out.trim(), "ok");
    const back = await sm.loadNp("weights");
    assertEquals(back.shape, [3, 4]);
    assertEquals(back.dtype, "float32");
    assert(await sm.hasNp("weights"));
    const missing = await assertRejects(() => sm.loadNp("nope"), StorageError, "nope");
    assertEquals((missing as StorageError).code, "not_found");
  });
});

Deno.test("saveObj() keeps Map, Set, Date, typed arrays, BigInt, undefined and cycles; hasObj() tells", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("Obj", { dataFolder: dir });
    const value: Record<string, unknown> = {
      m: new Map<unknown, unknown>([[1, "a"], ["k", [1, 2]]]),
      s: new Set([1, "x"]),
      d: new Date(1_700_000_000_000),
      t: new Float32Array([1.5, -2]),
      b: 2n ** 70n,
      u: undefined,
      n: null,
    };
    value.self = value;
    await sm.saveObj("meta", value);
    assert(await sm.hasObj("meta"));
    assert(!(await sm.hasObj("other")));
    const back = await sm.loadObj("meta") as Record<string, unknown>;
    assertEquals(back.m, value.m);
    assertEquals(back.s, value.s);
    assertEquals(back.d, value.d);
    assertEquals(back.t, value.t);
    assertEquals(back.b, value.b);
    assert("u" in back && back.u === undefined);
    assertEquals(back.n, null);
    assert(back.self === back, "the cycle is kept");
    const missing = await assertRejects(() => sm.loadObj("other"), StorageError, '"other"');
    assertEquals((missing as StorageError).code, "not_found");
  });
});

Deno.test("loadObj() reads a PymoNNto .obj pickle of plain data", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("Pickle", { dataFolder: dir });
    await python(
      `import pickle, sys
pickle.dump({'a': [1, 2.5, 'x'], 'b': (True, None)}, open(sys.argv[1] + '/meta.obj', 'wb'), protocol=4)`,
      [sm.path],
    );
    assert(await sm.hasObj("meta"));
    assertEquals(await sm.loadObj("meta"), { a: [1, 2.5, "x"], b: [true, null] });
  });
});

Deno.test("saveRecorder() writes <tag><var>.npy with shape [steps, ...] that numpy reads", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("Rec", { dataFolder: dir });
    const rec = new Recorder();
    const v = new Float64Array(3);
    for (let t = 0; t < 5; t++) {
      v.fill(t / 10);
      rec.record("v", v);
      rec.record("spikes", new Uint8Array([t % 2, 1 - (t % 2)]));
      rec.record("t", t);
    }
    const files = await sm.saveRecorder("net_", rec, { keys: ["v", "spikes"] });
    assertEquals(files.map((f) => f.slice(sm.path.length + 1)), ["net_v.npy", "net_spikes.npy"]);
    assert(!(await sm.hasNp("net_t")));
    const out = await python(
      `import numpy as np, sys
v = np.load(sys.argv[1] + '/net_v.npy'); s = np.load(sys.argv[1] + '/net_spikes.npy')
print(v.shape, v.dtype, v[4].tolist(), s.shape, s.dtype)`,
      [sm.path],
    );
    assertEquals(out.trim(), "(5, 3) float64 [0.4, 0.4, 0.4] (5, 2) uint8");
  });
});

Deno.test("saveFrame() numbers frames from 1, continues after frames on disk, renderVideo() makes an mp4", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("Vid", { dataFolder: dir });
    const frame = (i: number) => ({
      data: Uint8Array.from({ length: 9 * 11 * 3 }, (_, j) => (j * 7 + i * 20) % 256),
      shape: [9, 11, 3],
    });
    const first = await Promise.all([0, 1, 2].map((i) => sm.saveFrame(frame(i), "frame")));
    assertEquals(first.map((f) => f.slice(sm.path.length + 1)), [
      "frame1.png",
      "frame2.png",
      "frame3.png",
    ]);
    await sm.saveFrame(frame(0), "frame2"); // another key whose frames look like frame21.png
    const again = await StorageManager.open(sm.path);
    for (let i = 3; i < 12; i++) await again.saveFrame(frame(i), "frame");
    assert((await Deno.stat(`${sm.path}/frame12.png`)).isFile);
    const mp4 = await again.renderVideo("frame", { deleteImages: true, fps: 10 });
    assertEquals(mp4, `${sm.path}/frame.mp4`);
    const stream = await probeVideo(mp4);
    assertEquals(stream.codec_name, "h264");
    assertEquals(stream.pix_fmt, "yuv420p");
    assertEquals([stream.width % 2, stream.height % 2], [0, 0]);
    assertEquals(Number(stream.nb_read_frames), 12);
    const left = [];
    for await (const e of Deno.readDir(sm.path)) if (e.name.endsWith(".png")) left.push(e.name);
    assertEquals(left, ["frame21.png"], "only key frame2's frame is left");
  });
});

Deno.test("copyProjectFiles() zips the project without Data and .git and records the git commit", async () => {
  await withTempDir(async (project) => {
    await Deno.writeTextFile(`${project}/sim.ts`, "export const x = 1;\n");
    await Deno.writeTextFile(`${project}/.gitignore`, "*.log\n");
    await Deno.writeTextFile(`${project}/out.log`, "noise\n");
    const git = (...args: string[]) => run("git", args, { cwd: project });
    await git("init", "-q");
    await git("-c", "user.email=t@t", "-c", "user.name=t", "add", ".");
    await git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "init");
    const commit = (await git("rev-parse", "HEAD")).stdout.trim();
    const sm = await StorageManager.create("Zip", { dataFolder: `${project}/Data` });
    const zip = await sm.copyProjectFiles();
    assertEquals(zip, `${sm.path}/backup.zip`);
    const listed = await python(
      `import zipfile, sys; print('\\n'.join(sorted(zipfile.ZipFile(sys.argv[1]).namelist())))`,
      [zip],
    );
    assertEquals(listed.trim().split("\n"), [".gitignore", "sim.ts"]);
    assertEquals(await sm.loadParam("git_commit"), commit);
    assertEquals(await sm.loadParam("git_dirty"), true, "Data/ is untracked, so the tree is dirty");
  });
});

Deno.test("a process killed with SIGKILL mid-write never leaves a torn config.ini or .npy", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("Kill", { dataFolder: dir });
    for (const delay of [150, 400, 700]) {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-read", "--allow-write", fixture("write_loop.ts"), sm.path],
        stdout: "piped",
        stderr: "inherit",
      }).spawn();
      const reader = child.stdout.getReader();
      const first = await reader.read(); // "ready": the module is loaded and writing starts
      assert(dec.decode(first.value).includes("ready"));
      reader.releaseLock();
      await new Promise((r) => setTimeout(r, delay));
      child.kill("SIGKILL");
      await child.status;
      await child.stdout.cancel();
      const again = await StorageManager.open(sm.path);
      const i = await again.loadParam("i");
      assert(typeof i === "number" && i >= 1, `i = ${i}`);
      assertEquals(await again.loadParam("blob"), `${"x".repeat(20_000)}${i}`);
      const a = await again.loadNp("a");
      assertEquals(a.shape, [200_000]);
      const v = a.data[0] as number;
      assert(v >= 1 && (a.data as Float64Array).every((x) => x === v), "the array is not torn");
    }
  });
});
