import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCloud, type TestCloud } from "../../support/httpFixture.js";
import { badgeRows } from "../matrix/badges.js";
import { centreRows } from "../matrix/centres.js";
import { doorRows } from "../matrix/doors.js";
import { gatewayRows } from "../matrix/gateways.js";
import { memberRows } from "../matrix/members.js";
import { passRows } from "../matrix/passes.js";
import { resourceRows } from "../matrix/resources.js";

interface BadInput {
  /** The route as in the role matrix. */
  route: string;
  /** The concrete request; ANN is replaced by the worker's member id. */
  path: string;
  body?: unknown;
  /** The field the 400 must name. */
  field: string;
}

const zoned = "2026-03-01T00:00:00+01:00";

/** A new centre's body, valid but for what `changes` sets. */
const arlon = (changes: Record<string, unknown>) => ({
  id: "arlon",
  name: "Arlon",
  timeZone: "Europe/Brussels",
  openingHours: [],
  capacity: 10,
  hourlyRateCents: 100,
  ...changes,
});

/** One malformed request per directory and administration route. */
const badInputs: BadInput[] = [
  { route: "GET /centres", path: "/centres?limit=0", field: "querystring/limit" },
  { route: "GET /centres/:centreId", path: "/centres/-redu", field: "params/centreId" },
  {
    route: "POST /centres",
    path: "/centres",
    body: arlon({ capacity: -1 }),
    field: "body/capacity",
  },
  {
    route: "PATCH /centres/:centreId",
    path: "/centres/redu",
    body: { openingHours: [{ days: [1], open: "25:00", close: "18:00" }] },
    field: "body/openingHours/0/open",
  },
  { route: "DELETE /centres/:centreId", path: "/centres/-redu", field: "params/centreId" },
  {
    route: "GET /centres/:centreId/resources",
    path: "/centres/redu/resources?includeArchived=maybe",
    field: "querystring/includeArchived",
  },
  {
    route: "POST /centres/:centreId/resources",
    path: "/centres/redu/resources",
    body: { kind: "desk" },
    field: "body/name",
  },
  {
    route: "PATCH /resources/:resourceId",
    path: "/resources/redu-desk-1",
    body: { name: { first: "Desk" } },
    field: "body/name",
  },
  { route: "DELETE /resources/:resourceId", path: "/resources/-x", field: "params/resourceId" },
  {
    route: "GET /centres/:centreId/doors",
    path: "/centres/redu/doors?cursor=zzz",
    field: "querystring/cursor",
  },
  {
    route: "POST /centres/:centreId/doors",
    path: "/centres/redu/doors",
    body: { name: "Main", direction: "up" },
    field: "body/direction",
  },
  {
    route: "PATCH /doors/:doorId",
    path: "/doors/redu-main",
    body: { resourceIds: [{ id: "redu-desk-1" }] },
    field: "body/resourceIds/0",
  },
  { route: "DELETE /doors/:doorId", path: "/doors/-x", field: "params/doorId" },
  {
    route: "GET /centres/:centreId/gateways",
    path: "/centres/redu/gateways?limit=many",
    field: "querystring/limit",
  },
  {
    route: "POST /centres/:centreId/gateways",
    path: "/centres/redu/gateways",
    body: {},
    field: "body/id",
  },
  {
    route: "POST /gateways/:gatewayId/rotate-secret",
    path: "/gateways/REDU_1/rotate-secret",
    field: "params/gatewayId",
  },
  {
    route: "PATCH /gateways/:gatewayId",
    path: "/gateways/redu-1",
    body: {},
    field: "body/disabled",
  },
  { route: "GET /members", path: "/members?q=", field: "querystring/q" },
  {
    route: "POST /members",
    path: "/members",
    body: { name: "Gus", email: "gus@example.org", homeCentreId: "-redu" },
    field: "body/homeCentreId",
  },
  { route: "GET /members/:memberId", path: "/members/-x", field: "params/memberId" },
  {
    route: "PATCH /members/:memberId",
    path: "/members/ANN",
    body: { email: "not an address" },
    field: "body/email",
  },
  {
    route: "DELETE /members/:memberId",
    path: "/members/ANN?reason=",
    field: "querystring/reason",
  },
  {
    route: "GET /members/:memberId/passes",
    path: "/members/ANN/passes?limit=501",
    field: "querystring/limit",
  },
  {
    route: "POST /members/:memberId/passes",
    path: "/members/ANN/passes",
    body: { kind: "day", validFrom: "2026-03-01T09:00", validTo: zoned },
    field: "body/validFrom",
  },
  {
    route: "PATCH /passes/:passId",
    path: "/passes/some-pass",
    body: { validFrom: zoned },
    field: "body/validTo",
  },
  {
    route: "POST /passes/:passId/revoke",
    path: "/passes/some-pass/revoke",
    body: { reason: "" },
    field: "body/reason",
  },
  { route: "GET /me/passes", path: "/me/passes?limit=0", field: "querystring/limit" },
  {
    route: "GET /members/:memberId/badges",
    path: "/members/ANN/badges?activeOnly=perhaps",
    field: "querystring/activeOnly",
  },
  {
    route: "POST /members/:memberId/badges",
    path: "/members/ANN/badges",
    body: { label: "no uid" },
    field: "body/uid",
  },
  {
    route: "POST /badges/:badgeId/revoke",
    path: "/badges/some-badge/revoke",
    body: {},
    field: "body/reason",
  },
  {
    route: "POST /members/:memberId/badges/secure-card",
    path: "/members/ANN/badges/secure-card",
    body: { label: "no SUN URL" },
    field: "body/sunUrl",
  },
  {
    route: "PUT /badges/:badgeId/pin",
    path: "/badges/some-badge/pin",
    body: { pin: "12ab" },
    field: "body/pin",
  },
  { route: "GET /me/badges", path: "/me/badges?cursor=abc", field: "querystring/cursor" },
];

describe("directory and administration routes: bad input is a 400 naming the field", () => {
  let t: TestCloud;
  beforeAll(async () => {
    t = await startTestCloud();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("has a bad-input case for every route of these topics", () => {
    const routes = [
      ...centreRows,
      ...resourceRows,
      ...doorRows,
      ...gatewayRows,
      ...memberRows,
      ...passRows,
      ...badgeRows,
    ].map((row) => row.route);
    expect(badInputs.map((input) => input.route).sort()).toEqual(routes.sort());
  });

  for (const input of badInputs) {
    it(input.route, async () => {
      const [method = ""] = input.route.split(" ");
      // The worker's token on /me routes; the coordinator's elsewhere, so no rule hides the 400.
      const token = input.route.includes(" /me/") ? t.tokens.worker : t.tokens.coordinator;
      const response = await t.call(method, input.path.replace("ANN", t.ids.workerMemberId), {
        token,
        ...(input.body === undefined ? {} : { body: input.body }),
      });
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(input.field);
    });
  }

  // JSON bodies are checked as sent; query strings are text, read as numbers and booleans.
  it("refuses a body value of the wrong JSON type instead of converting it", async () => {
    const cases: { method: string; path: string; body: unknown; field: string }[] = [
      // A number where a string is expected: not quietly stored as "123".
      {
        method: "POST",
        path: "/centres/redu/resources",
        body: { kind: "desk", name: 123 },
        field: "body/name",
      },
      // The text "true" where a boolean is expected: not read as true.
      {
        method: "PATCH",
        path: "/gateways/nowhere",
        body: { disabled: "true" },
        field: "body/disabled",
      },
      // The text "40" where an integer is expected.
      {
        method: "POST",
        path: "/centres",
        body: arlon({ capacity: "40" }),
        field: "body/capacity",
      },
    ];
    for (const { method, path, body, field } of cases) {
      const response = await t.call(method, path, { token: t.tokens.coordinator, body });
      expect(response.status, path).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const resources = await t.call("GET", "/centres/redu/resources", {
      token: t.tokens.coordinator,
    });
    expect(resources.body.items.map((r: { name: string }) => r.name)).not.toContain("123");
  });

  it("still reads numbers and booleans out of the query string", async () => {
    const page = await t.call("GET", "/centres?limit=1", { token: t.tokens.coordinator });
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(1);
    const archived = await t.call("GET", "/centres/redu/resources?includeArchived=true", {
      token: t.tokens.coordinator,
    });
    expect(archived.status).toBe(200);
  });
});
