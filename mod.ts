/**
 * sweepstore: PymoNNto's StorageManager and StorageManagerGroup for Deno, with files Python reads exactly
 * (`config.ini` by configparser, `.npy` by numpy, objects as CBOR), and a parameter-sweep runner.
 *
 * @example Store a run, then analyse all runs of its name
 * ```ts
 * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
 * const dataFolder = await Deno.makeTempDir();
 * const sm = await StorageManager.create("MyName", { randomNr: true, dataFolder });
 * await sm.saveParamDict({ n: 1000, score: 0.93 });
 * await sm.saveNp("weights", { data: new Float32Array(12), shape: [3, 4] });
 * const smg = await StorageManagerGroup.load("MyName", { dataFolder });
 * console.log(smg.sortBy("score").getParamList("score")); // [0.93]
 * ```
 *
 * @module
 */

export * from "./src/storage_manager.ts";
export * from "./src/group.ts";
export * from "./src/recorder.ts";
export * from "./src/data_folder.ts";
export * from "./src/ndarray.ts";
export * from "./src/npy.ts";
export * from "./src/ini.ts";
export * from "./src/params.ts";
export * from "./src/objects.ts";
export * from "./src/pickle.ts";
export * from "./src/png.ts";
export * from "./src/video.ts";
export * from "./src/backup.ts";
export * from "./src/query.ts";
export * from "./src/reducers.ts";
export * from "./src/report.ts";
export * from "./src/atomic.ts";
export * from "./src/names.ts";
export * from "./src/errors.ts";
export * from "./runner/mod.ts";
