/**
 * The type of a value that `config.ini` stores and reads back exactly (its one owner; `params.ts`
 * re-exports it, the parser and the formatter import it from here).
 *
 * @module
 */

/** A value that `config.ini` stores and reads back exactly. */
export type ParamValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | ParamValue[]
  | { [key: string]: ParamValue };
