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

export * from "./src/run/storage_manager.ts";
export * from "./src/group/mod.ts";
export * from "./src/run/recorder.ts";
export * from "./src/run/data_folder.ts";
export * from "./src/formats/ndarray.ts";
export * from "./src/formats/npy.ts";
export * from "./src/formats/ini.ts";
export * from "./src/formats/params.ts";
export * from "./src/formats/objects.ts";
export * from "./src/formats/pickle.ts";
export * from "./src/formats/png.ts";
export * from "./src/formats/video.ts";
export type { RenderVideoOptions } from "./src/run/frames.ts";
export * from "./src/formats/backup.ts";
export * from "./src/formats/atomic.ts";
export * from "./src/run/names.ts";
export { checkParamKeys, paramKey } from "./src/run/param_keys.ts";
export * from "./src/errors.ts";
export * from "./runner/mod.ts";
export { groupFolder, runFolderParts, storageFolder } from "./src/layout.ts";
