/**
 * Runs one measuring child process and returns the JSON it printed on stdout (its stderr passes through).
 *
 * @module
 */

/** `cmd cmdArgs…` to the end; throws when it fails. */
// The JSON's shape is the caller's to know (the figures each bench prints), as JSON.parse's own `any`.
export async function child(cmd: string, cmdArgs: string[]) {
  const out = await new Deno.Command(cmd, { args: cmdArgs, stdout: "piped", stderr: "inherit" })
    .output();
  if (out.code !== 0) throw new Error(`${cmd} failed`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}
