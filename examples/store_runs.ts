/**
 * Creates a few runs of a tiny random-walk "simulation" with parameters, arrays, a recorder and frames,
 * renders one run's frames to a video, then prints what was stored and the group analysis.
 *
 * Run from the project folder (it uses, or creates, ./Data):
 *   deno run --allow-read --allow-write --allow-run=ffmpeg examples/store_runs.ts
 */
import { Recorder, StorageManager, StorageManagerGroup } from "../mod.ts";

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const name = "RandomWalk";
for (const [i, drift] of [0, 0.01, 0.05].entries()) {
  const sm = await StorageManager.create(name, { randomNr: true });
  await sm.saveParamDict({ drift, steps: 200, walkers: 16 });
  const rand = mulberry32(i + 1);
  const rec = new Recorder();
  const pos = new Float64Array(16);
  const size = 32;
  for (let t = 0; t < 200; t++) {
    for (let w = 0; w < pos.length; w++) pos[w] += drift + (rand() - 0.5) * 0.2;
    rec.record("pos", pos);
    if (i === 2 && t % 10 === 0) {
      const img = new Uint8Array(size * size * 3);
      for (let w = 0; w < pos.length; w++) {
        const x = Math.max(0, Math.min(size - 1, Math.round(size / 2 + pos[w] * 2)));
        img.set([255, 80 + w * 10, 40], (w * 2 * size + x) * 3);
      }
      await sm.saveFrame({ data: img, shape: [size, size, 3] }, "frame");
    }
  }
  await sm.saveRecorder("walk_", rec);
  const final = rec.toNdArray("pos").data.slice(-16) as Float64Array;
  const score = final.reduce((a, b) => a + b, 0) / final.length;
  await sm.saveParam("score", score);
  await sm.saveObj("summary", { final, drift, finishedAt: new Date() });
  if (i === 2) {
    try {
      console.log(`video: ${await sm.renderVideo("frame", { deleteImages: true, fps: 5 })}`);
    } catch (err) {
      console.log(`no video: ${(err as Error).message}`);
    }
  }
  const files = [];
  for await (const e of Deno.readDir(sm.path)) if (!e.name.startsWith(".")) files.push(e.name);
  console.log(`${sm.path}\n  ${files.sort().join("  ")}`);
}

const smg = await StorageManagerGroup.load(name);
smg.sortBy("score");
console.log(`\n${smg.length} runs of ${name}, sorted by score:`);
const [drifts, scores] = smg.getMultiParamList(["drift", "score"], { removeNone: true });
const [x, mean] = smg.removeDuplicatesGetEval(drifts, scores, "mean");
for (let k = 0; k < x.length; k++) console.log(`  drift=${x[k]}  mean score=${mean[k].toFixed(4)}`);
