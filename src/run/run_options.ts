/**
 * The options of {@linkcode StorageManager}'s methods that are not the parameters' own (those are in
 * `config_store.ts`): creating a run, reading arrays, backing up the project.
 *
 * @module
 */

import type { BackupOptions } from "../formats/backup.ts";
import type { ReadNpyOptions } from "../formats/npy.ts";
import type { CreateRunFolderOptions } from "./data_folder.ts";
import type { ParamSections } from "./config_store.ts";

/** Options for {@linkcode StorageManager.create}. */
export interface StorageManagerOptions extends CreateRunFolderOptions {
  /**
   * The `Data` folder to use; the run goes to `<dataFolder>/StorageManager/<Name>/`.
   * @default {the first `Data` folder found walking up from the working directory, else `./Data`}
   */
  dataFolder?: string;
  /**
   * Parameters written together with `time` in the run's first `config.ini` (one write), by section.
   * Keys follow the rules of {@linkcode StorageManager.saveParamDict}.
   * @default {undefined}
   */
  params?: ParamSections;
}

/** Options for {@linkcode StorageManager.loadNp}: those of `readNpy` (`into`: a typed array to read into). */
export type LoadNpOptions = ReadNpyOptions;

/** Options for {@linkcode StorageManager.copyProjectFiles}. */
export interface CopyProjectFilesOptions extends BackupOptions {
  /**
   * The project folder to back up.
   * @default {the folder that holds the run's `Data` folder}
   */
  projectDir?: string;
  /**
   * Record `git_commit` and `git_dirty` in `[Parameters]` when the project is a git repository.
   * @default {true}
   */
  recordGit?: boolean;
}
