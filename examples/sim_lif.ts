/**
 * A small spiking network: leaky integrate-and-fire neurons (80% excitatory, 20% inhibitory, sparse random
 * coupling) driven by Poisson input, scored by how close the population firing rate comes to a target.
 *
 * Swept parameters: `input_rate` (Hz per input synapse) and `w` (excitatory weight, mV). It records the
 * membrane potential of a few neurons and the spikes with a Recorder, saves the weights and a rate trace as
 * .npy, a few raster frames as PNG, and renders them to a video for the first run of a sweep.
 */
import { Recorder, type StorageManager } from "../mod.ts";
import { mulberry32, type SimulationContext } from "../runner/mod.ts";

export interface LifParams {
  /** Rate of each of the K_ext external Poisson inputs, Hz. */
  input_rate: number;
  /** Excitatory coupling weight, mV (inhibitory ones are -g·w). */
  w: number;
  /** Network size. */
  n?: number;
  /** Simulated time, ms. */
  t_ms?: number;
  /** The population rate to aim for, Hz. */
  target_hz?: number;
}

/** Poisson-distributed count with mean `lambda` (Knuth; fine for the small means here). */
function poisson(lambda: number, rand: () => number): number {
  const l = Math.exp(-lambda);
  let k = 0, p = 1;
  do {
    k++;
    p *= rand();
  } while (p > l);
  return k - 1;
}

export async function simulate(params: LifParams, sm: StorageManager, ctx: SimulationContext) {
  const n = params.n ?? 200, tMs = params.t_ms ?? 500, target = params.target_hz ?? 10;
  const dt = 1, tau = 20, vRest = -65, vTh = -50, vReset = -65, refractory = 2;
  const kExt = 100, wExt = 0.5, g = 5, p = 0.1;
  const nExc = Math.floor(0.8 * n);
  const rand = mulberry32(ctx.seed);

  // Sparse random coupling, stored dense (n × n float32) so it can be saved as a .npy matrix.
  const weights = new Float32Array(n * n);
  for (let post = 0; post < n; post++) {
    for (let pre = 0; pre < n; pre++) {
      if (pre !== post && rand() < p) {
        weights[post * n + pre] = pre < nExc ? params.w : -g * params.w;
      }
    }
  }

  const v = new Float64Array(n).map(() => vRest + rand() * (vTh - vRest));
  const refractoryLeft = new Int32Array(n);
  const spiked = new Uint8Array(n);
  const rec = new Recorder();
  const rateTrace = new Float64Array(tMs);
  const raster: Uint8Array[] = [];
  const watched = [0, 1, 2, nExc]; // three excitatory and one inhibitory neuron
  const lambda = (params.input_rate * kExt * dt) / 1000;
  let spikes = 0;

  for (let step = 0; step < tMs; step++) {
    const input = new Float64Array(n);
    for (let pre = 0; pre < n; pre++) {
      if (!spiked[pre]) continue;
      for (let post = 0; post < n; post++) input[post] += weights[post * n + pre];
    }
    spiked.fill(0);
    for (let i = 0; i < n; i++) {
      if (refractoryLeft[i] > 0) {
        refractoryLeft[i]--;
        continue;
      }
      v[i] += (dt / tau) * (vRest - v[i]) + input[i] + wExt * poisson(lambda, rand);
      if (v[i] >= vTh) {
        v[i] = vReset;
        spiked[i] = 1;
        refractoryLeft[i] = refractory;
        spikes++;
      }
    }
    rateTrace[step] = (spiked.reduce((a, b) => a + b, 0) / n) * (1000 / dt);
    rec.record("v", Float64Array.from(watched, (i) => v[i]));
    rec.record("spikes", spiked);
    raster.push(spiked.slice());
  }

  // Frames: the raster of each 50 ms window, neurons down, time across (excitatory white, inhibitory red).
  const win = 50;
  for (let start = 0; start + win <= tMs; start += win) {
    const img = new Uint8Array(n * win * 3);
    for (let t = 0; t < win; t++) {
      for (let i = 0; i < n; i++) {
        if (!raster[start + t][i]) continue;
        const at = (i * win + t) * 3;
        img.set(i < nExc ? [255, 255, 255] : [255, 60, 60], at);
      }
    }
    await sm.saveFrame({ data: img, shape: [n, win, 3] }, "raster");
  }
  if (ctx.index === 0) {
    try {
      await sm.renderVideo("raster", { fps: 4, deleteImages: false });
    } catch (err) {
      console.error(`no video for ${sm.name}: ${(err as Error).message.split("\n")[0]}`);
    }
  }

  await sm.saveRecorder("net_", rec);
  await sm.saveNp("weights", { data: weights, shape: [n, n] });
  await sm.saveNp("rate", rateTrace);
  const rate = spikes / n / (tMs / 1000);
  const score = Math.exp(-(((rate - target) / target) ** 2));
  return { rate_hz: Math.round(rate * 100) / 100, score: Math.round(score * 1e4) / 1e4 };
}
