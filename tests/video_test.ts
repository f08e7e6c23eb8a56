// encodeVideo(): an ordered list of PNG files → mp4, with real ffmpeg and ffprobe. Frame naming and
// numbering are tested in frames_test.ts.
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { run, withTempDir } from "./_helpers.ts";
import { encodeVideo } from "../src/formats/video.ts";
import { StorageError } from "../src/errors.ts";
import { encodePng } from "../src/formats/png.ts";

function frame(n: number, w = 15, h = 9): Uint8Array {
  const data = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i + n * 16) % 256);
  return encodePng({ data, shape: [h, w, 3] });
}

/** Writes frames with names that no numbering pattern could read, and returns them in order. */
async function writeFrames(dir: string, count: number): Promise<string[]> {
  const files = [];
  for (let i = 0; i < count; i++) {
    const file = `${dir}/f%d [${count - i}] ü.png`;
    await Deno.writeFile(file, frame(i));
    files.push(file);
  }
  return files;
}

async function listing(dir: string): Promise<string[]> {
  const names = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
}

async function probe(mp4: string) {
  const out = await run("ffprobe", [
    ...["-v", "error", "-count_frames", "-show_streams", "-show_format", "-of", "json", mp4],
  ]);
  assertEquals(out.code, 0, out.stderr);
  return JSON.parse(out.stdout).streams[0];
}

Deno.test("encodeVideo() makes an H.264 yuv420p mp4 with even dimensions from any file names; frames kept, no temp left", async () => {
  await withTempDir(async (dir) => {
    const files = await writeFrames(dir, 20);
    const before = await listing(dir);
    const mp4 = await encodeVideo(files, `${dir}/out.mp4`, { fps: 10 });
    assertEquals(mp4, `${dir}/out.mp4`);
    const s = await probe(mp4);
    assertEquals([s.codec_name, s.pix_fmt, s.width, s.height], ["h264", "yuv420p", 14, 8]);
    assertEquals(Number(s.nb_read_frames), 20);
    assertEquals(s.r_frame_rate, "10/1");
    assertEquals(await listing(dir), [...before, "out.mp4"].sort(), "frames kept, no temp left");
  });
});

Deno.test("encodeVideo() errors clearly: ffmpeg missing or failing, a missing frame (not_found), no frames; no output, no temp", async () => {
  await withTempDir(async (dir) => {
    const files = await writeFrames(dir, 3);
    const out = `${dir}/out.mp4`;
    await assertRejects(
      () => encodeVideo(files, out, { ffmpeg: `${dir}/no-such-ffmpeg` }),
      Error,
      "apt-get install -y ffmpeg",
    );
    const missing = await assertRejects(
      () => encodeVideo([...files, `${dir}/gone.png`], out),
      StorageError,
      "gone.png",
    );
    assertEquals((missing as StorageError).code, "not_found");
    await assertRejects(() => encodeVideo([], out), RangeError, "No frames");
    await assertRejects(() => encodeVideo(files, out, { fps: 0 }), TypeError, "fps");
    for (const f of files) await Deno.writeTextFile(f, "not a png"); // undecodable
    const err = await assertRejects(() => encodeVideo(files, out), Error, "ffmpeg failed");
    assert(/exit code \d+/.test(err.message), err.message);
    assert(err.message.includes("3 frames"), err.message);
    const left = await listing(dir);
    assertEquals(left.length, 3, `only the frames are left: ${left.join(", ")}`);
  });
});

Deno.test("encodeVideo() stops ffmpeg when its signal is aborted and rejects with the signal's reason", async () => {
  await withTempDir(async (dir) => {
    const files = await writeFrames(dir, 2);
    // An "ffmpeg" that never ends by itself: it records its pid, then sleeps.
    const slow = `${dir}/slow-ffmpeg.sh`;
    await Deno.writeTextFile(slow, `#!/bin/sh\necho $$ > "${dir}/pid"\nexec sleep 60\n`);
    await Deno.chmod(slow, 0o755);
    const controller = new AbortController();
    const encoding = encodeVideo(files, `${dir}/out.mp4`, {
      ffmpeg: slow,
      signal: controller.signal,
    });
    for (let i = 0; i < 500; i++) {
      if ((await Deno.readTextFile(`${dir}/pid`).catch(() => "")).trim()) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const pid = (await Deno.readTextFile(`${dir}/pid`)).trim();
    controller.abort(new Error("user stopped it"));
    await assertRejects(() => encoding, Error, "user stopped it");
    assertEquals(await Deno.stat(`/proc/${pid}`).catch(() => null), null, "ffmpeg is gone");
    await assertRejects(
      () => encodeVideo(files, `${dir}/out.mp4`, { signal: AbortSignal.abort() }),
      DOMException,
    );
    const left = (await listing(dir)).filter((n) => n.startsWith(".sweepstore-tmp"));
    assertEquals(left, [], "no temporary folder is left");
  });
});

Deno.test({
  name: "encodeVideo() copies frames that live on another file system than the video (a tmpfs)",
  ignore: Deno.uid() !== 0, // mounting needs root
  fn: () =>
    withTempDir(async (dir) => {
      const disk = `${dir}/disk`;
      await Deno.mkdir(disk);
      const mounted = await run("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", disk]);
      assertEquals(mounted.code, 0, mounted.stderr);
      try {
        const files = await writeFrames(dir, 3);
        // The hard link that encodeVideo tries first is impossible here (EXDEV).
        await assertRejects(() => Deno.link(files[0], `${disk}/probe.png`));
        const mp4 = await encodeVideo(files, `${disk}/out.mp4`, { fps: 3 });
        assertEquals(Number((await probe(mp4)).nb_read_frames), 3);
        assertEquals(await listing(disk), ["out.mp4"], "no temporary folder is left");
        assertEquals((await listing(dir)).length, 4, "the 3 frames are kept");
      } finally {
        await run("umount", ["-l", disk]);
      }
    }),
});
