/**
 * The paths git tracks, read from the repository's index file (`.git/index`, formats 2, 3 and 4 as
 * documented in git's `gitformat-index(5)`), so that a project's backup without git keeps tracked files
 * that an ignore pattern matches, as `git ls-files --cached` does. A split index (`core.splitIndex`) is not
 * followed: its shared part is not read.
 *
 * @module
 */

import { join } from "node:path";

const decoder = new TextDecoder();

/** git's `decode_varint` (offset encoding) at `pos`: the value and the position after it. */
function varint(bytes: Uint8Array, pos: number): [number, number] {
  let byte = bytes[pos++];
  let value = byte & 0x7f;
  while (byte & 0x80) {
    byte = bytes[pos++];
    value = ((value + 1) * 128) + (byte & 0x7f);
  }
  return [value, pos];
}

async function hashSize(gitDir: string): Promise<number> {
  try {
    const config = await Deno.readTextFile(join(gitDir, "config"));
    return /^\s*objectformat\s*=\s*sha256\s*$/im.test(config) ? 32 : 20;
  } catch {
    return 20;
  }
}

/**
 * The paths in the index of the repository whose git folder is `gitDir` (relative to its top folder,
 * `/`-separated; submodules and sparse-index folders left out), or `undefined` when there is no index or it
 * is in a format this reader does not know.
 */
export async function trackedPaths(gitDir: string): Promise<Set<string> | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(join(gitDir, "index"));
  } catch {
    return undefined;
  }
  if (bytes.length < 12 || decoder.decode(bytes.subarray(0, 4)) !== "DIRC") return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4);
  if (version < 2 || version > 4) return undefined;
  const count = view.getUint32(8);
  const hash = await hashSize(gitDir);
  const paths = new Set<string>();
  let pos = 12;
  let previous: Uint8Array = new Uint8Array();
  for (let i = 0; i < count; i++) {
    const start = pos;
    const mode = view.getUint32(pos + 24);
    pos += 40 + hash;
    const flags = view.getUint16(pos);
    pos += 2;
    if (version >= 3 && flags & 0x4000) pos += 2; // extended flags
    let name: Uint8Array;
    if (version === 4) {
      const [strip, after] = varint(bytes, pos);
      const end = bytes.indexOf(0, after);
      const prefix = previous.subarray(0, previous.length - strip);
      name = new Uint8Array(prefix.length + end - after);
      name.set(prefix);
      name.set(bytes.subarray(after, end), prefix.length);
      pos = end + 1;
    } else {
      const end = bytes.indexOf(0, pos);
      name = bytes.subarray(pos, end);
      pos = start + Math.ceil((end - start + 1) / 8) * 8; // 1–8 NULs pad the entry to 8 bytes
    }
    if (pos > bytes.length) return undefined; // truncated: do not trust any of it
    previous = name;
    const type = mode >>> 12;
    if (type === 0o10 || type === 0o12) paths.add(decoder.decode(name)); // a file or a symlink
  }
  return paths;
}
