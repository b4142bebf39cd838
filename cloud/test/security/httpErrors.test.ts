import { request as httpRequest } from "node:http";
import { Writable } from "node:stream";
import { pino } from "pino";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildHttpApp } from "../../src/http/app.js";
import { redactingLogOptions } from "../../src/security/logRedaction.js";
import { startTestCloud, type TestCloud } from "../support/httpFixture.js";

/*
 * Findings 3, 7 and 11 of issue 13: a 500 must be in the log with the request id it quotes
 * (unique across restarts) and without secrets; every error answer is problem+json, also those
 * fastify or node give before any route; /metrics is not public and promtool-valid; every
 * OpenAPI operation has an operationId and its real error responses.
 */

function collectingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: "debug", ...redactingLogOptions }, stream), lines };
}

async function crashingApp() {
  const { logger, lines } = collectingLogger();
  const app = await buildHttpApp({
    version: "test",
    registry: new Registry(),
    authenticate: async () => null,
    health: {},
    logger,
    routes: async (api) => {
      api.post("/crash", { config: { access: "public" } }, async () => {
        throw new Error("connect failed: postgres://admin:hunter2@db/passerelle");
      });
    },
  });
  return { app, lines };
}

describe("errors in the log", () => {
  it("logs a 500 with its stack and the request id it quotes, and no secret", async () => {
    const { app, lines } = await crashingApp();
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/crash",
      headers: { authorization: "Bearer psr_secret-token" },
      payload: { password: "hunter3" },
    });
    expect(response.statusCode).toBe(500);
    const quoted = /request id (\S+)/.exec(response.json().detail)?.[1];
    expect(quoted).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    const logged = lines.map((line) => JSON.parse(line)).find((e) => e.reqId === quoted);
    expect(logged).toMatchObject({ level: 50, msg: "request failed", route: "/api/v1/crash" });
    expect(logged.err.stack).toContain("Error: connect failed");
    const text = lines.join("\n");
    for (const secret of ["hunter2", "hunter3", "psr_secret-token"])
      expect(text).not.toContain(secret);
    await app.close();
  });

  it("logs an error given as its message (a string) without throwing, credentials masked", () => {
    // The external-broker link logs `{ err: error.message }`: a string once crashed the cloud.
    const { logger, lines } = collectingLogger();
    logger.warn({ err: "write EPIPE mqtt://cloud:s3cret@broker:1883" }, "broker link error");
    logger.warn({ err: 42 }, "odd value");
    expect(lines.map((line) => JSON.parse(line).err)).toEqual([
      "write EPIPE mqtt://cloud:***@broker:1883",
      42,
    ]);
  });

  it("gives request ids that never repeat across restarts", async () => {
    const ids = new Set<string>();
    for (let start = 0; start < 2; start += 1) {
      const { app } = await crashingApp();
      for (let i = 0; i < 3; i += 1) {
        const response = await app.inject({ method: "POST", url: "/api/v1/crash" });
        ids.add(String(response.headers["x-request-id"] ?? response.json().detail));
      }
      await app.close();
    }
    expect(ids.size).toBe(6);
  });
});

describe("error answers, metrics and OpenAPI of the running cloud", () => {
  let t: TestCloud;
  let base: string;
  beforeAll(async () => {
    t = await startTestCloud({ metricsToken: "metrics-token-0123456789" });
    base = t.cloud.httpUrl;
  });
  afterAll(() => t.stop());

  const raw = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const url = new URL(base);
      const req = httpRequest({ host: url.hostname, port: url.port, path, headers }, (res) => {
        let body = "";
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, type: res.headers["content-type"] ?? "", body }),
        );
      });
      req.on("error", reject);
      req.end();
    });

  it("answers malformed percent-encoding, 414 and 431 as problem+json", async () => {
    const cases = [
      { path: "/api/v1/bookings/%E0%A4%A", status: 400 },
      { path: `/api/v1/bookings/${"a".repeat(300)}`, status: 414 },
      { path: `/api/v1/bookings/${"a".repeat(20_000)}`, status: 431 },
    ];
    for (const { path, status } of cases) {
      const answer = await raw(path);
      expect(answer.status, path.slice(0, 40)).toBe(status);
      expect(answer.type).toContain("application/problem+json");
      expect(JSON.parse(answer.body)).toMatchObject({ status, type: "about:blank" });
    }
    const bigHeader = await raw("/api/v1/me", { "x-padding": "b".repeat(20_000) });
    expect(bigHeader.status).toBe(431);
    expect(bigHeader.type).toContain("application/problem+json");
  });

  it("serves /metrics only with its token, every gauge named without _total", async () => {
    expect((await raw("/metrics")).status).toBe(401);
    expect((await raw("/metrics", { authorization: "Bearer wrong-token-000000000" })).status).toBe(
      401,
    );
    const metrics = await raw("/metrics", { authorization: "Bearer metrics-token-0123456789" });
    expect(metrics.status).toBe(200);
    const gauges = [...metrics.body.matchAll(/^# TYPE (\S+) gauge$/gm)].map((m) => m[1]);
    expect(gauges.length).toBeGreaterThan(5);
    expect(gauges.filter((name) => name?.endsWith("_total"))).toEqual([]);
  });

  it("gives every OpenAPI operation a unique operationId and its real error responses", async () => {
    const document = JSON.parse((await raw("/openapi.json")).body) as {
      paths: Record<string, Record<string, { operationId?: string; responses: object }>>;
    };
    const ids: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.operationId, `${method} ${path}`).toMatch(/^[a-z]+[A-Za-z0-9_]*$/);
        ids.push(operation.operationId as string);
        const statuses = Object.keys(operation.responses);
        expect(statuses, `${method} ${path}`).toContain("400");
        expect(statuses, `${method} ${path}`).toContain("500");
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(document.paths["/api/v1/auth/login"]?.post?.responses ?? {})).toContain(
      "429",
    );
    expect(Object.keys(document.paths["/api/v1/centres/{centreId}"]?.get?.responses ?? {})).toEqual(
      expect.arrayContaining(["401", "404"]),
    );
  });
});
