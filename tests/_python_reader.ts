/** Shared by the python_reader tests: python/sweepstore_reader/ run by the real /usr/bin/python3. */
import { assertEquals } from "./_assert.ts";
import { pyFloat, run } from "./_helpers.ts";

export const SYSTEM_PYTHON = "/usr/bin/python3";
export const READER_DIR = new URL("../python/", import.meta.url).pathname;

/** Runs `script` with the reader importable; fails with install advice when numpy or cbor2 is missing. */
export async function python(script: string, cwd: string): Promise<unknown> {
  const check = await run(SYSTEM_PYTHON, ["-c", "import numpy, cbor2"]);
  if (check.code !== 0) {
    throw new Error(
      `${SYSTEM_PYTHON} needs numpy and cbor2: apt-get install -y python3-numpy python3-cbor2 ` +
        `(${check.stderr.trim().split("\n").pop()})`,
    );
  }
  const out = await new Deno.Command(SYSTEM_PYTHON, {
    args: ["-c", script],
    cwd,
    env: { PYTHONPATH: READER_DIR, PYTHONDONTWRITEBYTECODE: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  assertEquals(out.code, 0, text.decode(out.stderr));
  return JSON.parse(text.decode(out.stdout));
}

/** A JSON description of a Python value that keeps what JSON would lose (types, -0.0, nan, dtypes). */
export const DESCRIBE = `
import json, datetime, numpy as np
import sweepstore_reader
from sweepstore_reader import load_obj, load_np, load_params, CBORTag, undefined

def d(v):
    if isinstance(v, np.ndarray):
        return {"ndarray": v.dtype.name, "native": v.dtype.isnative, "writeable": bool(v.flags.writeable),
                "shape": list(v.shape), "items": [d(x) for x in v.tolist()]}
    if isinstance(v, bool): return {"bool": v}
    if isinstance(v, int): return {"int": str(v)}
    if isinstance(v, float): return {"float": repr(v)}
    if isinstance(v, str): return {"str": v}
    if v is None: return {"None": True}
    if v is undefined: return {"undefined": True}
    if isinstance(v, bytes): return {"bytes": list(v)}
    if isinstance(v, datetime.datetime): return {"datetime": v.isoformat()}
    if isinstance(v, (set, frozenset)): return {"set": sorted(json.dumps(d(x), separators=(",", ":")) for x in v)}
    if isinstance(v, dict): return {type(v).__name__: [[d(k), d(x)] for k, x in v.items()]}
    if isinstance(v, tuple): return {"tuple": [d(x) for x in v]}
    if isinstance(v, list): return {"list": [d(x) for x in v]}
    if isinstance(v, CBORTag): return {"tag": v.tag, "value": d(v.value)}
    return {"other": repr(v)}
`;

export const f = (x: string) => ({ float: x });
export const i = (x: number | bigint) => ({ int: String(x) });
export const s = (x: string) => ({ str: x });
export const arr = (dtype: string, items: unknown[]) => ({
  ndarray: dtype,
  native: true,
  writeable: true,
  shape: [items.length],
  items,
});

/**
 * Whether a Python value (described by DESCRIBE's `d`) is `value` with the type the TypeScript side gives
 * it: a number is an `int` exactly when sweepstore wrote it as digits (a safe integer, not -0), else a
 * `float` of the same value; a bigint an `int`; arrays `list`s; objects `dict`s with the same keys in order.
 * With `strict: false` (texts not written by sweepstore, such as PymoNNto's `0.0`), a number may be either
 * an `int` or a `float` of the same value.
 */
export function typedAs(py: Record<string, unknown>, value: unknown, strict = true): boolean {
  if (typeof value === "number") {
    const asFloat = typeof py.float === "string" && Object.is(pyFloat(py.float), value);
    if (Number.isSafeInteger(value) && !Object.is(value, -0)) {
      return py.int === String(value) || (!strict && asFloat);
    }
    return asFloat;
  }
  if (typeof value === "bigint") return py.int === String(value);
  if (typeof value === "boolean") return py.bool === value;
  if (value === null) return py.None === true;
  if (typeof value === "string") return py.str === value;
  if (Array.isArray(value)) {
    const items = py.list as Record<string, unknown>[] | undefined;
    return !!items && items.length === value.length &&
      items.every((x, k) => typedAs(x, value[k], strict));
  }
  const entries = py.dict as [Record<string, unknown>, Record<string, unknown>][] | undefined;
  const keys = Object.keys(value as object);
  return !!entries && entries.length === keys.length &&
    entries.every(([k, x], n) =>
      k.str === keys[n] && typedAs(x, (value as Record<string, unknown>)[keys[n]], strict)
    );
}
