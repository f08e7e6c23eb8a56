import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { run, withTempDir } from "./_helpers.ts";
import {
  countFrames,
  frameFileName,
  nextFrameNumber,
  renderVideo,
  writeFrame,
} from "../src/formats/video.ts";
import { StorageError } from "../src/errors.ts";
import { encodePng } from "../src/formats/png.ts";

function frame(n: number, w = 15, h = 9): Uint8Array {
  const data = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i + n * 16) % 256);
  return encodePng({ data, shape: [h, w, 3] });
}

/** Frames as sweepstore's writeFrame writes them (with the key's count file). */
async function writeFrames(dir: string, key: string, from: number, to: number) {
  for (let n = from; n <= to; n++) await writeFrame(dir, key, n, frame(n));
}

async function pngs(dir: string): Promise<string[]> {
  const names = [];
  for await (const e of Deno.readDir(dir)) if (e.name.endsWith(".png")) names.push(e.name);
  return names.sort();
}

Deno.test("countFrames() tells keys apart that end in digits: frame21.png is frame 1 of frame2, not frame 21 of frame", async () => {
  await withTempDir(async (dir) => {
    await writeFrames(dir, "frame2", 1, 1); // frame21.png
    await writeFrames(dir, "frame", 1, 20);
    assertEquals(await countFrames(dir, "frame"), 20);
    assertEquals(await countFrames(dir, "frame2"), 1);
    assertEquals(await nextFrameNumber(dir, "frame"), 21);
    assertEquals(await nextFrameNumber(dir, "other"), 1);
    // Frame 21 of "frame" would overwrite frame 1 of "frame2": refused.
    await assertRejects(() => writeFrame(dir, "frame", 21, frame(21)), StorageError, "another key");
  });
});

Deno.test("countFrames() of frames written by other tools (no count file) is the contiguous run from 1", async () => {
  await withTempDir(async (dir) => {
    for (const n of [1, 2, 3, 5]) {
      await Deno.writeFile(`${dir}/${frameFileName("img", n)}`, frame(n));
    }
    assertEquals(await countFrames(dir, "img"), 3);
  });
});

Deno.test("renderVideo() makes an H.264 yuv420p mp4 with even dimensions and deletes exactly the key's frames", async () => {
  await withTempDir(async (dir) => {
    await writeFrames(dir, "frame", 1, 20);
    await writeFrames(dir, "frame2", 1, 1);
    const mp4 = await renderVideo(dir, "frame", { fps: 10, deleteImages: true });
    assertEquals(mp4, `${dir}/frame.mp4`);
    const probe = await run("ffprobe", [
      "-v",
      "error",
      "-count_frames",
      "-show_streams",
      "-show_format",
      "-of",
      "json",
      mp4,
    ]);
    const info = JSON.parse(probe.stdout);
    const s = info.streams[0];
    assertEquals([s.codec_name, s.pix_fmt, s.width, s.height], ["h264", "yuv420p", 14, 8]);
    assertEquals(Number(s.nb_read_frames), 20);
    assertEquals(s.r_frame_rate, "10/1");
    assertEquals(await pngs(dir), ["frame21.png"]);
    const leftovers = [];
    for await (const e of Deno.readDir(dir)) {
      if (e.name.startsWith(".sweepstore-tmp")) leftovers.push(e.name);
    }
    assertEquals(leftovers, [], "no temporary file is left");
  });
});

Deno.test("renderVideo() errors clearly when ffmpeg is missing, fails, or there are no frames; frames are kept", async () => {
  await withTempDir(async (dir) => {
    await assertRejects(() => renderVideo(dir, "frame"), Deno.errors.NotFound, "saveFrame");
    await writeFrames(dir, "frame", 1, 3);
    await assertRejects(
      () => renderVideo(dir, "frame", { ffmpeg: `${dir}/no-such-ffmpeg`, deleteImages: true }),
      Error,
      "apt-get install -y ffmpeg",
    );
    for (const n of [1, 2, 3]) await Deno.writeTextFile(`${dir}/frame${n}.png`, "not a png"); // undecodable
    const err = await assertRejects(
      () => renderVideo(dir, "frame", { deleteImages: true }),
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
    for (let n = 0; n <= 4; n++) {
      await Deno.writeFile(`${dir}/${frameFileName("frame", n)}`, frame(n));
    }
    assertEquals(await countFrames(dir, "frame"), 5);
    assertEquals(await nextFrameNumber(dir, "frame"), 5);
    const mp4 = await renderVideo(dir, "frame", { fps: 5, deleteImages: true });
    const probe = await run("ffprobe", [
      "-v",
      "error",
      "-count_frames",
      "-show_streams",
      "-of",
      "json",
      mp4,
    ]);
    assertEquals(Number(JSON.parse(probe.stdout).streams[0].nb_read_frames), 5);
    assertEquals(await pngs(dir), [], "nothing is left over");
    // sweepstore continues PymoNNto's numbering, and frame 0 stays the first
    for (let n = 0; n <= 2; n++) {
      await Deno.writeFile(`${dir}/${frameFileName("frame", n)}`, frame(n));
    }
    await writeFrame(dir, "frame", await nextFrameNumber(dir, "frame"), frame(3));
    assertEquals(await pngs(dir), ["frame0.png", "frame1.png", "frame2.png", "frame3.png"]);
    assertEquals(await countFrames(dir, "frame"), 4);
    assertEquals(await nextFrameNumber(dir, "frame"), 4);
    // a key that ends in a digit has no frame 0: "frame20.png" would be frame 20 of "frame"
    await writeFrames(dir, "frame2", 1, 2);
    await Deno.writeFile(`${dir}/frame20.png`, frame(0));
    assertEquals(await countFrames(dir, "frame2"), 2);
  });
});
