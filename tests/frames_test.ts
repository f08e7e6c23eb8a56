// Frames as PymoNNto numbers them (frame0.png, frame1.png, …) and as sweepstore does (frame1.png, …),
// rendered with real ffmpeg and counted with real ffprobe.
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { run, withTempDir } from "./_helpers.ts";
import { StorageManager } from "../src/run/storage_manager.ts";
import { StorageError } from "../src/errors.ts";
import { encodePng } from "../src/formats/png.ts";

function image(i: number) {
  return {
    data: Uint8Array.from({ length: 10 * 12 * 3 }, (_, j) => (j * 5 + i * 37) % 256),
    shape: [10, 12, 3],
  };
}

/** Writes frames as PymoNNto does: `<key><n>.png`, no count file. */
async function pymonntoFrames(dir: string, key: string, from: number, to: number) {
  for (let n = from; n <= to; n++) {
    await Deno.writeFile(`${dir}/${key}${n}.png`, encodePng(image(n)));
  }
}

async function videoFrames(mp4: string): Promise<number> {
  const probe = await run("ffprobe", [
    "-v",
    "error",
    "-count_frames",
    "-show_streams",
    "-of",
    "json",
    mp4,
  ]);
  assertEquals(probe.code, 0, probe.stderr);
  return Number(JSON.parse(probe.stdout).streams[0].nb_read_frames);
}

async function listing(dir: string): Promise<string[]> {
  const names = [];
  for await (const e of Deno.readDir(dir)) if (e.name !== "config.ini") names.push(e.name);
  return names.sort();
}

Deno.test("renderVideo() of PymoNNto's frame0.png … frame4.png renders 5 frames and leaves none behind", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("Py", { dataFolder: dir });
    await pymonntoFrames(sm.path, "frame", 0, 4);
    const mp4 = await sm.renderVideo("frame", { deleteImages: true, fps: 5 });
    assertEquals(await videoFrames(mp4), 5);
    assertEquals(
      await listing(sm.path),
      ["frame.mp4"],
      "no frame, count file or temp folder is left",
    );
  });
});

Deno.test("saveFrame() continues after PymoNNto's last frame, in this and in a new object", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("Cont", { dataFolder: dir });
    await pymonntoFrames(sm.path, "frame", 0, 4);
    assertEquals(await sm.saveFrame(image(5)), `${sm.path}/frame5.png`);
    assertEquals(await sm.saveFrame(image(6)), `${sm.path}/frame6.png`);
    const again = await StorageManager.open(sm.path);
    assertEquals(await again.saveFrame(image(7)), `${sm.path}/frame7.png`);
    const mp4 = await again.renderVideo("frame", { deleteImages: true });
    assertEquals(await videoFrames(mp4), 8);
    assertEquals(await listing(sm.path), ["frame.mp4"]);
    // After the frames were rendered and deleted, a new sequence starts at 1 (sweepstore's numbering).
    assertEquals(await again.saveFrame(image(0)), `${sm.path}/frame1.png`);
  });
});

Deno.test("frame21.png of key frame2 never counts for key frame, whatever frame's first number", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("Two", { dataFolder: dir });
    await sm.saveFrame(image(0), "frame2"); // frame21.png, with frame2's count file
    await pymonntoFrames(sm.path, "frame", 0, 4);
    const again = await StorageManager.open(sm.path);
    for (let n = 5; n <= 20; n++) {
      assertEquals(await again.saveFrame(image(n)), `${sm.path}/frame${n}.png`);
    }
    // Frame 21 of "frame" would be frame21.png, which is frame 1 of "frame2": refused, nothing overwritten.
    const err = await assertRejects(() => again.saveFrame(image(21)), StorageError, "another key");
    assertEquals((err as StorageError).code, "exists");
    const mp4 = await again.renderVideo("frame", { deleteImages: true });
    assertEquals(await videoFrames(mp4), 21, "frame0 … frame20");
    assertEquals(await listing(sm.path), [".frames.frame2", "frame.mp4", "frame21.png"]);
    const other = await again.renderVideo("frame2", { deleteImages: true });
    assertEquals(await videoFrames(other), 1);
    assertEquals(await listing(sm.path), ["frame.mp4", "frame2.mp4"]);
  });
});

Deno.test("renderVideo() of a key without frames is a StorageError not_found; frames are kept when ffmpeg fails", async () => {
  await withTempDir(async (dir) => {
    const sm = await StorageManager.create("None", { dataFolder: dir });
    await pymonntoFrames(sm.path, "frame1", 0, 2); // frame10.png …: key "frame1", not frames of "frame"
    const err = await assertRejects(() => sm.renderVideo("frame"), StorageError, "saveFrame");
    assertEquals((err as StorageError).code, "not_found");
    await Deno.writeTextFile(`${sm.path}/img0.png`, "not a png");
    await Deno.writeTextFile(`${sm.path}/img1.png`, "not a png");
    const failed = await assertRejects(
      () => sm.renderVideo("img", { deleteImages: true }),
      Error,
      'frames of "img" (img0.png … img1.png)',
    );
    assert(/ffmpeg failed \(exit code \d+\)/.test(failed.message), failed.message);
    const left = await listing(sm.path);
    assert(left.includes("img0.png") && left.includes("img1.png"), left.join(","));
    assert(!left.some((n) => n.startsWith(".sweepstore-tmp")), left.join(","));
  });
});
