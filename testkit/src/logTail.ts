/** The last lines a child wrote on stdout and stderr, kept to explain a failed start. */
export class LogTail {
  private readonly lines: string[] = [];
  private readonly partial = new Map<string, string>();

  constructor(private readonly maxLines = 40) {}

  append(stream: string, chunk: Buffer | string): void {
    const text = (this.partial.get(stream) ?? "") + chunk.toString();
    const parts = text.split("\n");
    this.partial.set(stream, parts.pop() ?? "");
    for (const line of parts) this.push(line);
  }

  text(): string {
    const pending = [...this.partial.values()].filter((line) => line.length > 0);
    return [...this.lines, ...pending].join("\n");
  }

  private push(line: string): void {
    this.lines.push(line.replace(/\r$/, ""));
    if (this.lines.length > this.maxLines) this.lines.shift();
  }
}
