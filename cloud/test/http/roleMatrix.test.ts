import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCloud, type TestCloud } from "../support/httpFixture.js";
import { matrixRows } from "./matrix/index.js";
import { type MatrixContext, type MatrixRow, matrixRoles } from "./matrix/matrixRow.js";

/** Fills ":param" segments of a route from the row's params. */
function pathOf(template: string, params: Record<string, string>): string {
  return template.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${template}: no value for :${name}`);
    return encodeURIComponent(value);
  });
}

/** A successful answer of another media type than the row says. */
function typeProblems(row: MatrixRow, status: number, contentType: string): string[] {
  if (row.mediaType === undefined || status < 200 || status >= 300) return [];
  return contentType.startsWith(row.mediaType) ? [] : [`content-type ${contentType}`];
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

  it("has a row for every registered route", () => {
    expect(registered.size).toBeGreaterThan(0);
    const covered = new Set(matrixRows.map((row) => row.route));
    const missing = [...registered].filter((route) => !covered.has(route)).sort();
    expect(missing, "routes without a role-matrix row: add them to test/http/matrix/").toEqual([]);
  });

  it("has no row for a route that is not registered, no route twice", () => {
    const routes = matrixRows.map((row) => row.route);
    expect(routes.filter((route) => !registered.has(route))).toEqual([]);
    expect(routes.filter((route, i) => routes.indexOf(route) !== i)).toEqual([]);
  });

  /** What one role's call gave: the status, and what is wrong with a 2xx answer's headers. */
  const callOnce = async (
    row: MatrixRow,
    method: string,
    path: string,
    token: string | undefined,
    body: unknown,
  ): Promise<{ status: number; detail: string; problems: string[] }> => {
    if (row.stream) {
      // An event stream never ends: read the status and headers, then hang up.
      const abort = new AbortController();
      const response = await fetch(`${t.cloud.httpUrl}/api/v1${path}`, {
        method,
        signal: abort.signal,
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      });
      const type = response.headers.get("content-type") ?? "";
      const detail = response.status >= 400 ? await response.text() : "";
      abort.abort();
      return {
        status: response.status,
        detail,
        problems: typeProblems(row, response.status, type),
      };
    }
    const response = await t.call(method, path, {
      ...(token === undefined ? {} : { token }),
      ...(body === undefined ? {} : { body }),
    });
    const type = response.headers.get("content-type") ?? "";
    return {
      status: response.status,
      detail: response.body?.detail ?? response.text,
      problems: typeProblems(row, response.status, type),
    };
  };

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
      const want = row.expect[role];
      const got = await callOnce(row, method, path, token, body);
      const detail = got.status !== want && got.status >= 400 ? ` (${got.detail})` : "";
      outcomes.push(
        `${role}: ${got.status}${detail}${got.problems.map((p) => ` [${p}]`).join("")}`,
      );
      expected.push(`${role}: ${want}`);
    }
    expect(outcomes).toEqual(expected);
  };

  for (const row of matrixRows) it(row.route, () => run(row));
});
