import { type AddressInfo, connect, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP relay between one client and its server that a test can cut, as a network split would:
 * the connections through it are destroyed and new ones are dropped as soon as they open, while
 * everything else still reaches the server. `heal()` lets connections through again.
 */
export class TcpSplitProxy {
  private split = false;
  private readonly open = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpSplitProxy> {
    let proxy: TcpSplitProxy | undefined;
    const server = createServer((client) => proxy?.relay(client, target));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    proxy = new TcpSplitProxy(server, (server.address() as AddressInfo).port);
    return proxy;
  }

  get isSplit(): boolean {
    return this.split;
  }

  /** Destroys every connection through the proxy and drops new ones until `heal()`. */
  cut(): void {
    this.split = true;
    for (const socket of this.open) socket.destroy();
    this.open.clear();
  }

  heal(): void {
    this.split = false;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket, target: { host: string; port: number }): void {
    if (this.split) {
      client.destroy();
      return;
    }
    const upstream = connect(target);
    const pair = [client, upstream];
    for (const socket of pair) {
      this.open.add(socket);
      // One side gone (the server stopped, the client left): the other goes too, as through
      // a real network path.
      socket.on("close", () => {
        this.open.delete(socket);
        for (const other of pair) other.destroy();
      });
      socket.on("error", () => socket.destroy());
      socket.setNoDelay(true);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
