import { createServer, type Server } from "node:net";

function listenOnEphemeralPort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * Ports the kernel just handed out on loopback. All servers stay open until every port is read,
 * so a service that needs several ports (influxd: HTTP and RPC) never gets the same one twice.
 * The child binds a moment later; the race with another process is accepted (ephemeral ports
 * are allocated round-robin, so an immediate reuse is unlikely).
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i += 1) servers.push(await listenOnEphemeralPort());
    return servers.map((server) => {
      const address = server.address();
      if (address === null || typeof address === "string") throw new Error("no TCP address");
      return address.port;
    });
  } finally {
    await Promise.all(servers.map(close));
  }
}

export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  if (port === undefined) throw new Error("no free port");
  return port;
}
