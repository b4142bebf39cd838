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
  const terminal = new HiddenLines(io.stdin);
  try {
    const first = await terminal.ask(prompt);
    const again = await terminal.ask("Again: ");
    if (first !== again) throw new UsageError("the two passwords differ");
    return first;
  } finally {
    terminal.close();
  }
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

/**
 * Lines typed on the terminal in raw mode, echoing nothing. Keystrokes typed ahead (before a
 * prompt, or two lines in one read) are kept for the next question, not lost; Ctrl-C aborts.
 */
class HiddenLines {
  private readonly lines: string[] = [];
  private typed = "";
  private waiting: ((line: string | Error) => void) | undefined;
  private readonly onData = (chunk: Buffer) => {
    for (const char of chunk.toString("utf8")) {
      if (char === "\r" || char === "\n") {
        this.lines.push(this.typed);
        this.typed = "";
      } else if (char === "\u0003") {
        this.lines.push("\u0003");
      } else if (char === "\u007f" || char === "\b") {
        this.typed = this.typed.slice(0, -1);
      } else {
        this.typed += char;
      }
    }
    this.deliver();
  };

  constructor(private readonly stdin: CliIo["stdin"]) {
    stdin.setRawMode?.(true);
    stdin.on("data", this.onData);
    stdin.resume();
  }

  ask(prompt: string): Promise<string> {
    process.stderr.write(prompt);
    return new Promise((resolve, reject) => {
      this.waiting = (line) => {
        process.stderr.write("\n");
        if (line instanceof Error) reject(line);
        else resolve(line);
      };
      this.deliver();
    });
  }

  close(): void {
    this.stdin.off("data", this.onData);
    this.stdin.setRawMode?.(false);
    this.stdin.pause();
  }

  private deliver(): void {
    const waiting = this.waiting;
    const line = this.lines.shift();
    if (waiting === undefined || line === undefined) {
      if (line !== undefined) this.lines.unshift(line);
      return;
    }
    this.waiting = undefined;
    waiting(line === "\u0003" ? new UsageError("cancelled") : line);
  }
}
