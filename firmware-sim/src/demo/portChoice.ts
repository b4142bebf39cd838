import { createServer } from "node:net";

function available(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export interface PortChoice {
  readonly wanted: number;
  readonly port: number;
}

/**
 * The wanted port when it is free, else the next free one above it, else any free port. The
 * caller says so: a newcomer must not wonder why the console is not on 8080.
 */
export async function choosePort(wanted: number, host = "127.0.0.1"): Promise<PortChoice> {
  for (let port = wanted; port < wanted + 20 && port < 65_536; port++) {
    if (await available(port, host)) return { wanted, port };
  }
  const port = await new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      const chosen = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(chosen));
    });
  });
  return { wanted, port };
}
