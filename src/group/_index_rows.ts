/**
 * The runs of a group as the list functions see them (internal): either `StorageManager` objects (once a
 * caller took `smg.runs`, which it may change) or the compact rows of a {@linkcode RunTable} in the group's
 * current order. Values are parsed on each read, as `StorageManager.param` does.
 *
 * @module
 */

import { StorageError } from "../errors.ts";
import { type ParamValue, parseParam } from "../formats/params.ts";
import type { StorageManager } from "../run/storage_manager.ts";
import type { RunTable } from "./_index_table.ts";

/** A value reader for one parameter: run position → value, `undefined` when the run lacks it. */
export type ValueOf = (i: number) => ParamValue | undefined;

/** The runs of a group, by position in the current order. */
export interface RunRows {
  /** The number of runs. */
  readonly length: number;
  /** The run folder name at position `i`. */
  name(i: number): string;
  /** A reader of parameter `key` of `section` (key case-insensitive, as configparser's). */
  values(key: string, section: string): ValueOf;
  /** The parameter names of `section` of the run at `i`, in file order. */
  keys(i: number, section: string): readonly string[];
}

/** Rows over `StorageManager` objects (what each object last read or wrote). */
export function managerRows(runs: readonly StorageManager[]): RunRows {
  return {
    length: runs.length,
    name: (i) => runs[i].name,
    values: (key, section) => {
      const options = { section };
      return (i) => runs[i].param(key, options);
    },
    keys: (i, section) => runs[i].paramKeys({ section }),
  };
}

/** Rows over a table in the order `order` (row ids); `groupPath` names files in errors. */
export function tableRows(table: RunTable, order: readonly number[], groupPath: string): RunRows {
  return {
    length: order.length,
    name: (i) => table.names[order[i]],
    values: (key, section) => {
      const column = table.column(section, key.toLowerCase());
      if (!column) return () => undefined;
      return (i) => {
        // a number kept as one is what `parseParam` makes of its text, except an integer beyond 2⁵³
        // written without exponent (a `bigint`, as Python's int): no text made, no parse
        const n = column.numberAt(order[i]);
        if (n !== undefined && (!Number.isInteger(n) || Number.isSafeInteger(n))) return n;
        const text = column.get(order[i]);
        if (text === null) return undefined;
        try {
          return parseParam(text);
        } catch (err) {
          const file = `${groupPath}/${table.names[order[i]]}/config.ini`;
          throw new StorageError(
            `Parameter "${key}" in ${file} cannot be read: ${(err as Error).message}`,
            { path: file, cause: err, code: "corrupt" },
          );
        }
      };
    },
    keys: (i, section) => table.keys(order[i], section),
  };
}

/** The runs at `positions` of `rows` (in that order), as rows: a subset without copying values. */
export function pickRows(rows: RunRows, positions: readonly number[]): RunRows {
  return {
    length: positions.length,
    name: (i) => rows.name(positions[i]),
    values: (key, section) => {
      const read = rows.values(key, section);
      return (i) => read(positions[i]);
    },
    keys: (i, section) => rows.keys(positions[i], section),
  };
}

/**
 * A reader of parameter `key` of `section` that gives `undefined` for a value that cannot be parsed (a
 * corrupt line counts as missing, as the analysis functions treat it).
 */
export function lenientValues(rows: RunRows, key: string, section: string): ValueOf {
  const read = rows.values(key, section);
  return (i) => {
    try {
      return read(i);
    } catch {
      return undefined;
    }
  };
}
