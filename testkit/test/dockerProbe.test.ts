import { mkdtemp, rm } from "node:fs/promises";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { dockerEndpoint, probeDocker } from "../src/dockerProbe.js";

describe("dockerEndpoint", () => {
  it("defaults to the Linux socket", () => {
    expect(dockerEndpoint({})).toEqual({ kind: "http", socketPath: "/var/run/docker.sock" });
  });

  it("reads unix and tcp DOCKER_HOST values", () => {
    expect(dockerEndpoint({ DOCKER_HOST: "unix:///run/user/1000/docker.sock" })).toEqual({
      kind: "http",
      socketPath: "/run/user/1000/docker.sock",
    });
    expect(dockerEndpoint({ DOCKER_HOST: "tcp://10.0.0.2:2375" })).toEqual({
      kind: "http",
      host: "10.0.0.2",
      port: 2375,
    });
    expect(dockerEndpoint({ DOCKER_HOST: "tcp://dind", DOCKER_TLS_VERIFY: "1" })).toEqual({
      kind: "tcp-only",
      host: "dind",
      port: 2376,
    });
    expect(dockerEndpoint({ DOCKER_HOST: "ssh://me@host" })).toEqual({ kind: "unsupported" });
  });
});

describe("probeDocker", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  function close(server: Server | ReturnType<typeof createTcpServer>) {
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  }

  it("is true when an engine answers /_ping on the socket", async () => {
    const dir = await mkdtemp(join(tmpdir(), "testkit-docker-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const socketPath = join(dir, "docker.sock");
    const server = createHttpServer((req, res) => {
      res.statusCode = req.url === "/_ping" ? 200 : 404;
      res.end("OK");
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    close(server);
    expect(await probeDocker({ DOCKER_HOST: `unix://${socketPath}` })).toBe(true);
  });

  it("is false when nothing listens", async () => {
    expect(await probeDocker({ DOCKER_HOST: "unix:///nonexistent/docker.sock" })).toBe(false);
  });

  it("gives up after the timeout when the engine does not answer", async () => {
    // Accepts and reads (so it sees the probe hang up), never answers.
    const server = createTcpServer((socket) => socket.resume());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    close(server);
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const started = Date.now();
    expect(await probeDocker({ DOCKER_HOST: `tcp://127.0.0.1:${port}` }, 200)).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
