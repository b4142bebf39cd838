import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildHttpApp } from "../../src/http/app.js";
import { requireCentre } from "../../src/http/plugins/accessControl.js";
import type { Principal } from "../../src/http/principal.js";

const principals: Record<string, Principal> = {
  worker: { userId: "u1", memberId: "m1", coordinator: false, managerOf: [], via: "session" },
  manager: {
    userId: "u2",
    memberId: null,
    coordinator: false,
    managerOf: ["redu"],
    via: "session",
  },
  coordinator: { userId: "u3", memberId: null, coordinator: true, managerOf: [], via: "api-token" },
};

let healthy = true;
let app: FastifyInstance;

beforeAll(async () => {
  app = await buildHttpApp({
    version: "test",
    registry: new Registry(),
    authenticate: async (token) => principals[token] ?? null,
    health: { store: async () => (healthy ? "ok" : "database unreachable") },
    metricsToken: "scrape-token-0123456789",
    routes: async (api) => {
      api.post(
        "/probes",
        {
          schema: {
            body: Type.Object(
              { name: Type.String({ minLength: 1 }), seats: Type.Integer({ minimum: 1 }) },
              { additionalProperties: false },
            ),
            response: { 201: Type.Object({ name: Type.String() }) },
          },
          config: { access: ["coordinator"] },
        },
        async (request, reply) =>
          reply.status(201).send({ name: (request.body as { name: string }).name }),
      );
      api.get(
        "/centres/:id/probe",
        { config: { access: ["manager", "coordinator"] } },
        async (request) => {
          const { id } = request.params as { id: string };
          requireCentre(request, id);
          return { centre: id };
        },
      );
      api.get("/me", { config: { access: "authenticated" } }, async (request) => ({
        user: request.principal?.userId,
      }));
      api.get("/undeclared", async () => ({ leaked: true }));
      api.get("/crash", { config: { access: "public" } }, async () => {
        throw new Error("secret connection string postgres://admin:hunter2@db");
      });
      api.get("/conflict", { config: { access: "public" } }, async () => {
        throw Object.assign(new Error("seat already taken"), {
          code: "conflict",
          field: "resource",
        });
      });
    },
  });
});
afterAll(() => app.close());

const as = (who: string) => ({ authorization: `Bearer ${who}` });

describe("HTTP foundation", () => {
  it("answers health, and 503 with the failing check", async () => {
    expect((await app.inject("/healthz")).json()).toEqual({
      status: "ok",
      checks: { store: "ok" },
    });
    healthy = false;
    const degraded = await app.inject("/healthz");
    healthy = true;
    expect(degraded.statusCode).toBe(503);
    expect(degraded.json().checks.store).toBe("database unreachable");
  });

  it("serves the OpenAPI document generated from the route schemas", async () => {
    const doc = (await app.inject("/openapi.json")).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(
      doc.paths["/api/v1/probes"].post.requestBody.content["application/json"].schema.required,
    ).toEqual(["name", "seats"]);
    expect(doc.paths["/api/v1/probes"].post.responses["201"]).toBeDefined();
    // Every operation documents its errors as problem+json, and the schema is what is sent.
    const problem = doc.components.schemas.Problem;
    expect(problem.required).toEqual(["type", "title", "status", "instance", "errors"]);
    for (const [path, operations] of Object.entries<Record<string, { responses: object }>>(
      doc.paths,
    )) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.responses, `${method} ${path}`).toMatchObject({
          default: {
            content: {
              "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } },
            },
          },
        });
      }
    }
    const refused = await app.inject({ method: "POST", url: "/api/v1/probes", payload: {} });
    expect(Object.keys(refused.json()).sort()).toEqual(
      expect.arrayContaining(problem.required.sort()),
    );
    expect((await app.inject("/docs")).statusCode).toBeLessThan(400);
  });

  it("rejects an invalid body with a problem naming each field", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/probes",
      headers: as("coordinator"),
      payload: { name: "", seats: "many", extra: 1 },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    const fields = response.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["body/name", "body/seats", "body/extra"]));
  });

  it("refuses malformed JSON with a problem, not a crash", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/probes",
      headers: { ...as("coordinator"), "content-type": "application/json" },
      payload: "{ nope",
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().status).toBe(400);
  });

  it("enforces roles: 401 anonymous, 403 wrong role, 404 another centre", async () => {
    const body = { name: "x", seats: 1 };
    expect(
      (await app.inject({ method: "POST", url: "/api/v1/probes", payload: body })).statusCode,
    ).toBe(401);
    expect(
      (
        await app.inject({
          method: "POST",
          url: "/api/v1/probes",
          payload: body,
          headers: as("worker"),
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await app.inject({
          method: "POST",
          url: "/api/v1/probes",
          payload: body,
          headers: as("coordinator"),
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (await app.inject({ url: "/api/v1/centres/redu/probe", headers: as("manager") })).statusCode,
    ).toBe(200);
    expect(
      (await app.inject({ url: "/api/v1/centres/arlon/probe", headers: as("manager") })).statusCode,
    ).toBe(404);
    expect(
      (await app.inject({ url: "/api/v1/centres/arlon/probe", headers: as("coordinator") }))
        .statusCode,
    ).toBe(200);
    expect((await app.inject({ url: "/api/v1/me", headers: as("worker") })).json()).toEqual({
      user: "u1",
    });
    expect((await app.inject({ url: "/api/v1/me", headers: as("forged") })).statusCode).toBe(401);
  });

  it("fails closed on a route without an access rule", async () => {
    expect(
      (await app.inject({ url: "/api/v1/undeclared", headers: as("coordinator") })).statusCode,
    ).toBe(403);
  });

  it("hides 5xx details and maps service error codes", async () => {
    const crash = await app.inject("/api/v1/crash");
    expect(crash.statusCode).toBe(500);
    expect(crash.body).not.toContain("hunter2");
    expect(crash.json().detail).toMatch(/request id/);
    const conflict = await app.inject("/api/v1/conflict");
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().errors).toEqual([{ field: "resource", message: "seat already taken" }]);
    expect((await app.inject("/api/v1/nowhere")).json().title).toBe("Not Found");
  });

  it("exposes Prometheus metrics including request durations", async () => {
    const text = (
      await app.inject({
        url: "/metrics",
        headers: { authorization: "Bearer scrape-token-0123456789" },
      })
    ).body;
    expect(text).toContain("passerelle_http_request_duration_seconds_bucket");
    expect(text).toContain("process_cpu_user_seconds_total");
  });
});
