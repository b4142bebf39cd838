import type { IncomingHttpHeaders } from "node:http";
import { get as httpGet } from "node:http";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BookingsWorld, body, iso, startBookingsWorld, weekdayAt } from "./bookingsFixture.js";

interface Item {
  resourceId: string;
  centreId: string;
  slots: { start: string; end: string; free: number }[];
}

describe("availability route (the wired cloud, over HTTP)", () => {
  let world: BookingsWorld;
  beforeAll(async () => {
    world = await startBookingsWorld();
  });
  afterAll(() => world?.stop());

  const day = () => weekdayAt(0, 0, 2);
  const search = (query: string, token = world.tokens.ann) =>
    world.call("GET", `/availability?${query}`, { token });
  const dayQuery = (extra = "") =>
    `centreId=redu&kind=desk&from=${encodeURIComponent(iso(day()))}&to=${encodeURIComponent(iso(day().plus({ days: 1 })))}${extra}`;

  it("shows each desk free over the opening hours, and a booking carved out at once", async () => {
    const before = await search(dayQuery());
    expect(before.status).toBe(200);
    const items = (await body(before)).items as Item[];
    expect(items.map((i) => i.resourceId)).toEqual(["redu-desk-1", "redu-desk-2"]);
    const open = [
      {
        start: day().set({ hour: 8 }).toUTC().toISO(),
        end: day().set({ hour: 18 }).toUTC().toISO(),
        free: 1,
      },
    ];
    expect(items[0]?.slots).toEqual(open);

    const booked = await world.call("POST", "/bookings", {
      token: world.tokens.ann,
      body: {
        resourceId: "redu-desk-1",
        start: iso(day().set({ hour: 10 })),
        end: iso(day().set({ hour: 12 })),
      },
    });
    expect(booked.status).toBe(201);
    // The cache is invalidated by the booking's commit: the next search sees it.
    const after = (await body(await search(dayQuery()))).items as Item[];
    expect(after[0]?.slots.map((s) => [s.start, s.end])).toEqual([
      [day().set({ hour: 8 }).toUTC().toISO(), day().set({ hour: 10 }).toUTC().toISO()],
      [day().set({ hour: 12 }).toUTC().toISO(), day().set({ hour: 18 }).toUTC().toISO()],
    ]);
    expect(after[1]?.slots).toEqual(open);
  });

  it("searches the whole network without a centre, in pages with an opaque cursor", async () => {
    const network = `kind=desk&from=${encodeURIComponent(iso(day()))}&to=${encodeURIComponent(iso(day().plus({ days: 1 })))}`;
    const all = (await body(await search(network))).items as Item[];
    expect(new Set(all.map((i) => i.centreId))).toEqual(new Set(["redu", "ciney"]));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await body(
        await search(`${network}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`),
      );
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...(page.items as Item[]).map((i) => i.resourceId));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(all.map((i) => i.resourceId));
  });

  it("refuses absurd and malformed searches with 400 naming the field, never computing them", async () => {
    const from = encodeURIComponent(iso(day()));
    const cases: [string, string][] = [
      [
        `kind=desk&from=${from}&to=${encodeURIComponent(iso(day().plus({ years: 1 })))}`,
        "querystring/to",
      ],
      [
        `kind=desk&from=${from}&to=${encodeURIComponent(iso(day().plus({ days: 32 })))}`,
        "querystring/to",
      ],
      [
        `kind=desk&from=${from}&to=${encodeURIComponent(iso(day().minus({ hours: 1 })))}`,
        "querystring/to",
      ],
      [`kind=desk&from=${day().toFormat("yyyy-MM-dd'T'HH:mm")}&to=${from}`, "querystring/from"],
      [`kind=sofa&from=${from}&to=${from}`, "querystring/kind"],
      [`from=${from}&to=${from}`, "querystring/kind"],
      [`${dayQuery("&cursor=%%%")}`, "querystring/cursor"],
      [`${dayQuery("&limit=0")}`, "querystring/limit"],
    ];
    for (const [query, field] of cases) {
      const response = await search(query);
      expect(response.status, query).toBe(400);
      const fields = ((await body(response)).errors as { field: string }[]).map((e) => e.field);
      expect(fields, query).toContain(field);
    }
  });

  it("gzips the answer for clients that accept it, and only for them", async () => {
    // A week of the network's desks: big enough to be worth compressing (over 1 KB).
    const week = `kind=desk&from=${encodeURIComponent(iso(day()))}&to=${encodeURIComponent(iso(day().plus({ days: 7 })))}`;
    const url = `${world.cloud.httpUrl}/api/v1/availability?${week}`;
    const get = (acceptEncoding?: string) =>
      new Promise<{ headers: IncomingHttpHeaders; bytes: Buffer }>((resolve, reject) => {
        const headers: Record<string, string> = { authorization: `Bearer ${world.tokens.ann}` };
        if (acceptEncoding) headers["accept-encoding"] = acceptEncoding;
        httpGet(url, { headers }, (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () =>
            resolve({ headers: response.headers, bytes: Buffer.concat(chunks) }),
          );
        }).on("error", reject);
      });
    const plain = await get();
    expect(plain.headers["content-encoding"]).toBeUndefined();
    const zipped = await get("gzip, deflate, br");
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.headers.vary).toContain("accept-encoding");
    expect(zipped.bytes.length).toBeLessThan(plain.bytes.length);
    expect(JSON.parse(gunzipSync(zipped.bytes).toString("utf8"))).toEqual(
      JSON.parse(plain.bytes.toString("utf8")),
    );
    expect(JSON.parse(plain.bytes.toString("utf8")).items).toHaveLength(3);
  });

  it("is for logged-in callers of any role", async () => {
    expect((await world.call("GET", `/availability?${dayQuery()}`)).status).toBe(401);
    for (const token of [
      world.tokens.marc,
      world.tokens.lea,
      world.tokens.cora,
      world.tokens.zoe,
    ]) {
      expect((await search(dayQuery(), token)).status).toBe(200);
    }
  });
});
