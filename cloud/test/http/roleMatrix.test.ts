import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCloud, type TestCloud } from "../support/httpFixture.js";
import { matrixRows, routesWithoutRows } from "./matrix/index.js";
import { type MatrixContext, type MatrixRow, matrixRoles } from "./matrix/matrixRow.js";

/** Fills ":param" segments of a route from the row's params. */
function pathOf(template: string, params: Record<string, string>): string {
  return template.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${template}: no value for :${name}`);
    return encodeURIComponent(value);
  });
}

describe("role matrix: each role × each API route", () => {
  let t: TestCloud;
  let ctx: MatrixContext;
  const registered = new Set<string>();

  beforeAll(async () => {
    t = await startTestCloud({
      // Fastify adds a HEAD route for every GET; its rule is the GET's.
      onRoute: (method, url) => method !== "HEAD" && registered.add(`${method} ${url}`),
    });
    let counter = 0;
    const unique = () => {
      counter += 1;
      return `m${counter}`;
    };
    ctx = { t, unique };
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("has a row for every registered route (or lists it as waiting for one)", () => {
    expect(registered.size).toBeGreaterThan(0);
    const covered = new Set([...matrixRows.map((row) => row.route), ...routesWithoutRows]);
    const missing = [...registered].filter((route) => !covered.has(route)).sort();
    expect(missing, "routes without a role-matrix row: add them to test/http/matrix/").toEqual([]);
  });

  it("has no row for a route that is not registered, no route twice, no stale waiting entry", () => {
    const routes = matrixRows.map((row) => row.route);
    expect(routes.filter((route) => !registered.has(route))).toEqual([]);
    expect(routes.filter((route, i) => routes.indexOf(route) !== i)).toEqual([]);
    expect(routesWithoutRows.filter((route) => routes.includes(route))).toEqual([]);
    expect(routesWithoutRows.filter((route) => !registered.has(route))).toEqual([]);
  });

  const run = async (row: MatrixRow) => {
    const [method = "", template = ""] = row.route.split(" ");
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const role of matrixRoles) {
      const prepared = row.prepare ? await row.prepare(ctx, role) : {};
      const params = { ...row.params, ...prepared.params };
      const body = prepared.body ?? row.body;
      const token = prepared.token ?? (role === "anonymous" ? undefined : t.tokens[role]);
      const path = pathOf(template, params) + (prepared.query ? `?${prepared.query}` : "");
      const response = await t.call(method, path, {
        ...(token === undefined ? {} : { token }),
        ...(body === undefined ? {} : { body }),
      });
      const detail = response.status >= 400 ? ` (${response.body?.detail ?? response.text})` : "";
      outcomes.push(
        `${role}: ${response.status}${response.status === row.expect[role] ? "" : detail}`,
      );
      expected.push(`${role}: ${row.expect[role]}`);
    }
    expect(outcomes).toEqual(expected);
  };

  for (const row of matrixRows) it(row.route, () => run(row));
  for (const route of routesWithoutRows) it.todo(`${route}: no role-matrix row yet`);
});
