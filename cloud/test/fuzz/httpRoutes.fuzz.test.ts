import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeCloudOnEngines } from "../support/cloudEngines.js";
import type { TestCloud } from "../support/httpFixture.js";
import { provideEngines } from "../support/storeEngines.js";
import { badBody, badPathParameter, badQuery } from "./badInput.js";
import { fuzzSeed, runsOr } from "./fuzzSettings.js";

/*
 * Every operation of the OpenAPI document, driven with generated bad path parameters, query
 * strings and bodies, anonymously, as a worker and as a manager, on SQLite and PostgreSQL:
 * never a 5xx, and every error answer is problem+json (issue 13, "Done when").
 */

interface Operation {
  method: string;
  path: string;
  queryNames: string[];
  bodyNames: string[];
  hasBody: boolean;
}

type OpenApiDocument = {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string }[];
        requestBody?: { content?: Record<string, { schema?: { properties?: object } }> };
      }
    >
  >;
};

function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const parameters = operation.parameters ?? [];
      const schema = operation.requestBody?.content?.["application/json"]?.schema;
      operations.push({
        method: method.toUpperCase(),
        path,
        queryNames: parameters.filter((p) => p.in === "query").map((p) => p.name),
        bodyNames: Object.keys(schema?.properties ?? {}),
        hasBody: operation.requestBody !== undefined,
      });
    }
  }
  return operations;
}

const engines = await provideEngines();
afterAll(async () => {
  for (const engine of engines) await engine.cleanup();
});

describeCloudOnEngines(engines, "fuzzing every HTTP route", (start) => {
  let t: TestCloud;
  let operations: Operation[] = [];
  beforeAll(async () => {
    t = await start({ logLevel: "silent" });
    const document = (await (
      await fetch(`${t.cloud.httpUrl}/openapi.json`)
    ).json()) as OpenApiDocument;
    operations = operationsOf(document);
  });
  afterAll(() => t.stop());

  it("answers no 5xx and only problem+json errors, whoever calls", {
    timeout: 600_000,
  }, async () => {
    expect(operations.length).toBeGreaterThan(50);
    const roles = { anonymous: undefined, worker: t.tokens.worker, manager: t.tokens.manager };
    for (const operation of operations) {
      // Logging out would end the fuzzing session of that role; anonymous is enough there.
      const callers = operation.path.endsWith("/auth/logout")
        ? (["anonymous"] as const)
        : (["anonymous", "worker", "manager"] as const);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...callers),
          fc.array(badPathParameter, { minLength: 4, maxLength: 4 }),
          badQuery(operation.queryNames),
          operation.hasBody ? badBody(operation.bodyNames) : fc.constant(undefined),
          async (role, pathValues, query, body) => {
            let index = 0;
            const path = operation.path.replace(/\{[^}]+\}/g, () => pathValues[index++] ?? "x");
            const token = roles[role];
            const response = await fetch(`${t.cloud.httpUrl}${path}${query ? `?${query}` : ""}`, {
              method: operation.method,
              headers: {
                ...(token ? { authorization: `Bearer ${token}` } : {}),
                ...(body === undefined ? {} : { "content-type": "application/json" }),
              },
              ...(body === undefined ? {} : { body }),
              signal: AbortSignal.timeout(10_000),
            });
            const type = response.headers.get("content-type") ?? "";
            const where = `${operation.method} ${path}?${query} as ${role}: ${response.status}`;
            if (response.status >= 400) {
              const text = await response.text();
              expect(response.status, `${where} ${text.slice(0, 300)}`).toBeLessThan(500);
              expect(type, where).toContain("application/problem+json");
            } else {
              // A live stream (occupancy events) never ends: do not wait for its body.
              await response.body?.cancel();
            }
          },
        ),
        { numRuns: runsOr(4), seed: fuzzSeed, endOnFailure: true },
      );
    }
  });
});
