import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMember } from "../../src/domain/members.js";
import { createUser } from "../../src/domain/users.js";
import { type CloudConfig, startCloud } from "../../src/server.js";
import { admin } from "../support/fixtures.js";

const listening = (server: Server, port = 0) =>
  new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      resolve(typeof address === "object" && address !== null ? address.port : 0);
    });
  });

const closed = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe("startCloud", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "passerelle-start-"));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const config = (httpPort: number, brokerPort: number, extra: Partial<CloudConfig> = {}) => ({
    dataDir,
    http: { host: "127.0.0.1", port: httpPort },
    broker: { kind: "embedded" as const, config: { host: "127.0.0.1", port: brokerPort } },
    logLevel: "silent",
    ...extra,
  });

  it("stops what it had started when a later step fails (HTTP port taken)", async () => {
    const squatter = createServer();
    const httpPort = await listening(squatter);
    const probe = createServer();
    const brokerPort = await listening(probe);
    await closed(probe);
    try {
      await expect(startCloud(config(httpPort, brokerPort))).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await closed(squatter);
    }
    // The broker port is free again and the store closed: the same start now succeeds.
    const reuse = createServer();
    expect(await listening(reuse, brokerPort)).toBe(brokerPort);
    await closed(reuse);
    const cloud = await startCloud(config(0, brokerPort));
    expect(cloud.brokerPort).toBe(brokerPort);
    await cloud.stop();
  });

  it("behind a trusted proxy, believes X-Forwarded-Proto (feed links say https); not otherwise", async () => {
    const linkScheme = async (trustProxy: CloudConfig["trustProxy"]) => {
      const cloud = await startCloud(config(0, 0, trustProxy === undefined ? {} : { trustProxy }));
      try {
        const email = `ann.${String(trustProxy)}@example.org`;
        const member = await createMember(cloud.services.deps, admin, { name: "Ann", email });
        const password = "correct horse battery staple";
        await createUser(cloud.services.deps, admin, { email, password, memberId: member.id });
        const login = await fetch(`${cloud.httpUrl}/api/v1/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email, password }),
        });
        const { token } = (await login.json()) as { token: string };
        const link = await fetch(`${cloud.httpUrl}/api/v1/me/calendar-link`, {
          headers: {
            authorization: `Bearer ${token}`,
            "x-forwarded-proto": "https",
            "x-forwarded-host": "passerelle.example.coop",
          },
        });
        expect(link.status).toBe(200);
        const { url } = (await link.json()) as { url: string };
        return new URL(url).protocol;
      } finally {
        await cloud.stop();
      }
    };
    expect(await linkScheme("127.0.0.1")).toBe("https:");
    expect(await linkScheme(undefined)).toBe("http:");
  });
});
