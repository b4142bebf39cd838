import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCloud, startCloud } from "../../cloud/src/server.js";

describe("the cloud serves the built console at / (same origin as the API)", () => {
  let dataDir: string;
  let cloud: RunningCloud;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "passerelle-console-serving-"));
    cloud = await startCloud({
      dataDir,
      http: { host: "127.0.0.1", port: 0 },
      broker: { kind: "embedded", config: { host: "127.0.0.1", port: 0 } },
      logLevel: "silent",
    });
  });
  afterAll(async () => {
    await cloud?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const get = (path: string) => fetch(`${cloud.httpUrl}${path}`);

  it("answers / and any page path with the console's page, under a strict CSP", async () => {
    for (const path of ["/", "/board/redu", "/login"]) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/html");
      expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(await response.text()).toContain('<div id="app">');
    }
  });

  it("serves hashed assets as immutable and a missing asset as 404", async () => {
    const page = await (await get("/")).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page)?.[1];
    expect(script).toBeDefined();
    const asset = await get(script ?? "");
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect((await get("/assets/nothing-here.js")).status).toBe(404);
    // Sent precompressed to a browser that accepts it.
    const compressed = await fetch(`${cloud.httpUrl}${script}`, {
      headers: { "accept-encoding": "br, gzip" },
    });
    expect(compressed.headers.get("content-encoding")).toBe("br");
    expect(await compressed.text()).toContain("passerelle");
  });

  it("leaves the API and the service endpoints their own answers", async () => {
    const unknownApi = await get("/api/v1/nowhere");
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.headers.get("content-type")).toContain("application/problem+json");
    expect((await get("/api")).status).toBe(404);
    expect((await get("/healthz")).status).toBe(200);
    expect((await get("/openapi.json")).headers.get("content-type")).toContain("json");
    // Not served without PASSERELLE_METRICS_TOKEN, and never the console's page.
    expect((await get("/metrics")).status).toBe(404);
    expect((await get("/api/v1/me")).status).toBe(401);
  });
});
