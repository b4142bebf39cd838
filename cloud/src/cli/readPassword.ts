import type { CliIo } from "./cliIo.js";
import { UsageError } from "./cliIo.js";

/**
 * A password for a command, never from argv (it would be in the shell history and in `ps` for
 * every user of the machine): PASSERELLE_PASSWORD, else the first line of stdin when it is a
 * pipe, else a prompt on the terminal, typed twice, not echoed.
 */
export async function readPassword(io: CliIo, prompt: string): Promise<string> {
  const fromEnv = io.env.PASSERELLE_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  if (!io.stdin.isTTY) {
    const line = await firstLine(io.stdin);
    if (line === "") {
      throw new UsageError("no password: set PASSERELLE_PASSWORD or pipe it on stdin");
    }
    return line;
  }
  const first = await promptHidden(io, prompt);
  const again = await promptHidden(io, "Again: ");
  if (first !== again) throw new UsageError("the two passwords differ");
  return first;
}

async function firstLine(stdin: CliIo["stdin"]): Promise<string> {
  let text = "";
  for await (const chunk of stdin) {
    text += chunk.toString();
    const end = text.search(/\r?\n/);
    if (end >= 0) return text.slice(0, end);
    if (text.length > 4096) break;
  }
  return text.replace(/\r?\n$/, "");
}

/** Reads one line in raw mode, echoing nothing; Ctrl-C aborts. */
function promptHidden(io: CliIo, prompt: string): Promise<string> {
  const stdin = io.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode?.(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = "";
    const done = (error?: Error) => {
      stdin.off("data", onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString("utf8")) {
        if (char === "\r" || char === "\n") return done();
        if (char === "\u0003") return done(new UsageError("cancelled"));
        if (char === "\u007f" || char === "\b") typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.on("data", onData);
  });
}
