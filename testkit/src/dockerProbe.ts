import { request } from "node:http";
import { tcpConnects } from "./tcpProbe.js";

export type Env = Readonly<Record<string, string | undefined>>;

type Endpoint =
  | {
      readonly kind: "http";
      readonly socketPath?: string;
      readonly host?: string;
      readonly port?: number;
    }
  | { readonly kind: "tcp-only"; readonly host: string; readonly port: number }
  | { readonly kind: "unsupported" };

/** Where the Docker engine should be, from DOCKER_HOST or the default Linux socket. */
export function dockerEndpoint(env: Env): Endpoint {
  const dockerHost = env.DOCKER_HOST;
  if (dockerHost === undefined || dockerHost === "") {
    return { kind: "http", socketPath: "/var/run/docker.sock" };
  }
  if (dockerHost.startsWith("unix://")) {
    return { kind: "http", socketPath: dockerHost.slice("unix://".length) };
  }
  if (dockerHost.startsWith("tcp://")) {
    const url = new URL(dockerHost.replace(/^tcp:/, "http:"));
    const port = Number(url.port || (env.DOCKER_TLS_VERIFY ? 2376 : 2375));
    // A TLS engine wants client certificates; a TCP connect is enough to say "something answers".
    if (env.DOCKER_TLS_VERIFY) return { kind: "tcp-only", host: url.hostname, port };
    return { kind: "http", host: url.hostname, port };
  }
  return { kind: "unsupported" };
}

function ping(endpoint: Endpoint & { kind: "http" }, timeoutMs: number): Promise<boolean> {
  const { socketPath, host, port } = endpoint;
  return new Promise((resolve) => {
    const req = request(
      { socketPath, host, port, path: "/_ping", method: "GET", timeout: timeoutMs, agent: false },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

/** True when a Docker engine answers GET /_ping within `timeoutMs`. */
export async function probeDocker(env: Env = process.env, timeoutMs = 1000): Promise<boolean> {
  const endpoint = dockerEndpoint(env);
  switch (endpoint.kind) {
    case "http":
      return ping(endpoint, timeoutMs);
    case "tcp-only":
      return tcpConnects(endpoint.host, endpoint.port, timeoutMs);
    case "unsupported":
      return false;
  }
}
