import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An HTTP proxy in front of a real database that a test turns down (connections reset) or
 * slow (each request held `delayMs` before it is forwarded), to play an outage without
 * killing the server.
 */
export class FlakyProxy {
  mode: "up" | "down" = "up";
  delayMs = 0;
  requests = 0;
  /** Requests the database has answered through the proxy. */
  answered = 0;
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<FlakyProxy> {
    const upstream = new URL(target);
    let proxy: FlakyProxy | undefined;
    const server = createServer((req, res) => {
      const self = proxy as FlakyProxy;
      self.requests += 1;
      if (self.mode === "down") {
        req.socket.destroy();
        return;
      }
      setTimeout(() => {
        const forward = request(
          {
            host: upstream.hostname,
            port: upstream.port,
            path: req.url,
            method: req.method,
            headers: req.headers,
          },
          (answer) => {
            self.answered += 1;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        forward.on("error", () => res.destroy());
        req.pipe(forward);
      }, self.delayMs);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    proxy = new FlakyProxy(server, `http://127.0.0.1:${port}`);
    return proxy;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
