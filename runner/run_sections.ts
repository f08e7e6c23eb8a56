/**
 * Every run's `[Run]` record of a group, from the group's columns (`runSectionsOf`). A file of its own:
 * `run_record.ts` is loaded by every slot and imports the group code only as a type (README.md).
 *
 * @module
 */

import type { StorageManagerGroup } from "../src/group/group.ts";
import { rowsOf } from "../src/group/group_views.ts";
import { lenientValues } from "../src/group/_index_rows.ts";
import type { ParamValue } from "../src/formats/params.ts";
import { RUN_SECTION, type RunSection, runSectionOf } from "./run_record.ts";

/**
 * {@linkcode readRunSection} of every run of a group, by position in its current order: the same records,
 * read from the group's columns rather than through a `StorageManager` and its whole `config.ini` per run
 * (a loop of `readRunSection` over the runs of a 100,000-run group took +126 MiB and 1.3 s). With
 * `fields`, only those fields are read (the others are left out, as missing ones).
 *
 * @param group The runs.
 * @param fields The `[Run]` fields to read. @default {all}
 * @example
 * ```ts
 * import { StorageManager, StorageManagerGroup } from "@sweepstore/sweepstore";
 * import { runSectionsOf } from "@sweepstore/sweepstore/runner";
 * const dataFolder = await Deno.makeTempDir();
 * await StorageManager.create("RS", { dataFolder, params: { Run: { status: "done", attempt: 1 } } });
 * const recordAt = runSectionsOf(await StorageManagerGroup.load("RS", { dataFolder }));
 * console.log(recordAt(0)); // { status: "done", attempt: 1 }
 * ```
 */
export function runSectionsOf(
  group: StorageManagerGroup,
  fields?: readonly string[],
): (index: number) => RunSection {
  const rows = rowsOf(group);
  const only = fields && new Set(fields);
  const readers = new Map<string, (i: number) => ParamValue | undefined>();
  const reader = (key: string) => {
    let read = readers.get(key);
    if (!read) readers.set(key, read = lenientValues(rows, key, RUN_SECTION));
    return read;
  };
  return (i) => runSectionOf((key) => (only && !only.has(key) ? undefined : reader(key)(i)));
}
