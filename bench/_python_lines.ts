/**
 * A long-lived Python process driven line by line (for benches that alternate with numpy in one run):
 * `send` writes a command line to its stdin, `nextLine` reads its next stdout line.
 *
 * @module
 */

/** Starts `python3 -c script`; its first line is usually its "ready". */
export function pythonLines(script: string): {
  send(line: string): Promise<void>;
  nextLine(): Promise<string>;
  close(): Promise<void>;
} {
  const proc = new Deno.Command("python3", {
    args: ["-c", script],
    stdin: "piped",
    stdout: "piped",
  })
    .spawn();
  const writer = proc.stdin.getWriter();
  const reader = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  return {
    send: (line: string) => writer.write(new TextEncoder().encode(`${line}\n`)),
    async nextLine() {
      while (!buffered.includes("\n")) {
        const { value, done } = await reader.read();
        if (done) throw new Error("python3 stopped: is numpy installed?");
        buffered += value;
      }
      const i = buffered.indexOf("\n");
      const line = buffered.slice(0, i);
      buffered = buffered.slice(i + 1);
      return line;
    },
    async close() {
      await writer.close();
      await proc.status;
      await reader.cancel();
    },
  };
}
