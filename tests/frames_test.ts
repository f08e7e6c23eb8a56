// Frames as PymoNNto numbers them (frame0.png, frame1.png, …) and as sweepstore does (frame1.png, …),
// rendered with real ffmpeg and counted with real ffprobe.
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { probeVideo, withTempDir } from "./_helpers.ts";
import { StorageManager } from "../src/run/storage_manager.ts";
import { lastFrameNumber, listFrames, renderFrames, writeFrameFile } from "../src/run/frames.ts";
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
  return Number((await probeVideo(mp4)).nb_read_frames);
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

// Moved from video_test.ts with the numbering (countFrames = listFrames().length, nextFrameNumber =
// lastFrameNumber() + 1, writeFrame = writeFrameFile, renderVideo = renderFrames).

function frame(n: number, w = 15, h = 9): Uint8Array {
  const data = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i + n * 16) % 256);
  return encodePng({ data, shape: [h, w, 3] });
}

/** Frames as sweepstore writes them (with the key's count file). */
async function writeFrames(dir: string, key: string, from: number, to: number) {
  for (let n = from; n <= to; n++) await writeFrameFile(dir, key, n, frame(n));
}

async function pngs(dir: string): Promise<string[]> {
  const names = [];
  for await (const e of Deno.readDir(dir)) if (e.name.endsWith(".png")) names.push(e.name);
  return names.sort();
}

const count = async (dir: string, key: string) => (await listFrames(dir, key)).length;
const next = async (dir: string, key: string) => (await lastFrameNumber(dir, key)) + 1;

Deno.test("listFrames() tells keys apart that end in digits: frame21.png is frame 1 of frame2, not frame 21 of frame", async () => {
  await withTempDir(async (dir) => {
    await writeFrames(dir, "frame2", 1, 1); // frame21.png
    await writeFrames(dir, "frame", 1, 20);
    assertEquals(await count(dir, "frame"), 20);
    assertEquals(await count(dir, "frame2"), 1);
    assertEquals(await next(dir, "frame"), 21);
    assertEquals(await next(dir, "other"), 1);
    // Frame 21 of "frame" would overwrite frame 1 of "frame2": refused.
    await assertRejects(
      () => writeFrameFile(dir, "frame", 21, frame(21)),
      StorageError,
      "another key",
    );
  });
});

Deno.test("listFrames() of frames written by other tools (no count file) is the contiguous run from 1", async () => {
  await withTempDir(async (dir) => {
    for (const n of [1, 2, 3, 5]) await Deno.writeFile(`${dir}/img${n}.png`, frame(n));
    assertEquals(await count(dir, "img"), 3);
  });
});

Deno.test("renderFrames() makes an H.264 yuv420p mp4 with even dimensions and deletes exactly the key's frames", async () => {
  await withTempDir(async (dir) => {
    await writeFrames(dir, "frame", 1, 20);
    await writeFrames(dir, "frame2", 1, 1);
    const mp4 = await renderFrames(dir, "frame", { fps: 10, deleteImages: true });
    assertEquals(mp4, `${dir}/frame.mp4`);
    const s = await probeVideo(mp4);
    assertEquals([s.codec_name, s.pix_fmt, s.width, s.height], ["h264", "yuv420p", 14, 8]);
    assertEquals(Number(s.nb_read_frames), 20);
    assertEquals(s.r_frame_rate, "10/1");
    assertEquals(await pngs(dir), ["frame21.png"]);
    const leftovers = (await listing(dir)).filter((n) => n.startsWith(".sweepstore-tmp"));
    assertEquals(leftovers, [], "no temporary file is left");
  });
});

Deno.test("renderFrames() errors clearly when ffmpeg is missing, fails, or there are no frames; frames are kept", async () => {
  await withTempDir(async (dir) => {
    const none = await assertRejects(() => renderFrames(dir, "frame"), StorageError, "saveFrame");
    assertEquals((none as StorageError).code, "not_found");
    await writeFrames(dir, "frame", 1, 3);
    await assertRejects(
      () => renderFrames(dir, "frame", { ffmpeg: `${dir}/no-such-ffmpeg`, deleteImages: true }),
      Error,
      "apt-get install -y ffmpeg",
    );
    for (const n of [1, 2, 3]) await Deno.writeTextFile(`${dir}/frame${n}.png`, "not a png"); // undecodable
    const err = await assertRejects(
      () => renderFrames(dir, "frame", { deleteImages: true }),
      Error,
      "ffmpeg failed",
    );
    assert(/exit code \d+/.test(err.message), err.message);
    assertEquals(
      await pngs(dir),
      ["frame1.png", "frame2.png", "frame3.png"],
      "frames are kept on failure",
    );
  });
});

Deno.test("PymoNNto's frames from frame0.png: all are counted, rendered and deleted; the next is 5", async () => {
  await withTempDir(async (dir) => {
    for (let n = 0; n <= 4; n++) await Deno.writeFile(`${dir}/frame${n}.png`, frame(n));
    assertEquals(await count(dir, "frame"), 5);
    assertEquals(await next(dir, "frame"), 5);
    const mp4 = await renderFrames(dir, "frame", { fps: 5, deleteImages: true });
    assertEquals(await videoFrames(mp4), 5);
    assertEquals(await pngs(dir), [], "nothing is left over");
    // sweepstore continues PymoNNto's numbering, and frame 0 stays the first
    for (let n = 0; n <= 2; n++) await Deno.writeFile(`${dir}/frame${n}.png`, frame(n));
    await writeFrameFile(dir, "frame", await next(dir, "frame"), frame(3));
    assertEquals(await pngs(dir), ["frame0.png", "frame1.png", "frame2.png", "frame3.png"]);
    assertEquals(await count(dir, "frame"), 4);
    assertEquals(await next(dir, "frame"), 4);
    // a key that ends in a digit has no frame 0: "frame20.png" would be frame 20 of "frame"
    await writeFrames(dir, "frame2", 1, 2);
    await Deno.writeFile(`${dir}/frame20.png`, frame(0));
    assertEquals(await count(dir, "frame2"), 2);
  });
});
