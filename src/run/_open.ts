/**
 * What `StorageManager.open` accepts as a run folder, and the errors that say what one is.
 *
 * @module
 */

import { StorageError } from "../errors.ts";
import {
  CONFIG_FILE,
  configFile,
  isBookkeepingFolder,
  runFolderParts,
  STORAGE_FOLDER,
} from "../layout.ts";
import { fsError } from "./_fs_error.ts";

const WHAT_A_RUN_IS =
  `A run folder is <Project>/Data/${STORAGE_FOLDER}/<Name>/<Name><nr>/ holding a ` +
  `${CONFIG_FILE}, made by StorageManager.create() (or PymoNNto); open one of those`;

/**
 * Checks that `abs` (an absolute path) is a run folder: a folder that holds a `config.ini`, or one that
 * lies where runs live (`<Data>/StorageManager/<Name>/<run>`, e.g. a PymoNNto run whose `config.ini` is
 * missing or a run still being created).
 *
 * @throws {StorageError} code `not_found` (nothing there), `not_a_run` (a file, or a folder that is not a
 * run folder), or the code of the file-system failure.
 */
export async function checkRunFolder(abs: string): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(abs);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new StorageError(`Run folder ${abs} does not exist. ${WHAT_A_RUN_IS}`, {
        path: abs,
        code: "not_found",
        cause: err,
      });
    }
    throw fsError(err, `Cannot open the run folder ${abs}`, abs);
  }
  if (!info.isDirectory) {
    throw new StorageError(`${abs} is a file, not a run folder. ${WHAT_A_RUN_IS}`, {
      path: abs,
      code: "not_a_run",
    });
  }
  const parts = runFolderParts(abs);
  if (parts && !parts.run.startsWith(".") && !isBookkeepingFolder(parts.run)) return;
  try {
    if ((await Deno.stat(configFile(abs))).isFile) return;
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) {
      throw fsError(err, `Cannot open the run folder ${abs}`, abs);
    }
  }
  throw new StorageError(
    `${abs} is not a run folder: it has no ${CONFIG_FILE} and does not lie in ` +
      `<Data>/${STORAGE_FOLDER}/<Name>/. ${WHAT_A_RUN_IS}`,
    { path: abs, code: "not_a_run" },
  );
}
