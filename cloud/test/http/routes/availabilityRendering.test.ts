import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { acceptsGzip, RenderedPages } from "../../../src/http/routes/availability/renderedPages.js";
import type { AvailabilityPage } from "../../../src/reservations/availability.js";

const page = (slots: number): AvailabilityPage => ({
  items: Array.from({ length: slots }, (_, k) => ({
    resource: {
      id: `desk-${k}`,
      centreId: "redu",
      kind: "desk" as const,
      name: `Desk ${k}`,
      capacity: 1,
      createdAt: new Date(0),
      archivedAt: null,
    },
    centreId: "redu",
    slots: [],
  })),
  next: null,
});

describe("availability bodies, rendered once per page", () => {
  it("renders a page once, however many callers ask for it", () => {
    const pages = new RenderedPages();
    const one = page(40);
    let renders = 0;
    const render = (p: AvailabilityPage) => {
      renders += 1;
      return p.items;
    };
    const first = pages.body(one, render, false);
    const second = pages.body(one, render, true);
    const third = pages.body(one, render, true);
    expect(renders).toBe(1);
    expect(first.gzip).toBe(false);
    expect(second.gzip).toBe(true);
    expect(third.payload).toBe(second.payload); // the same bytes, compressed once
    expect(gunzipSync(second.payload as Buffer).toString("utf8")).toBe(first.payload);
    // Another page (a new cache entry) is rendered anew.
    pages.body(page(40), render, false);
    expect(renders).toBe(2);
  });

  it("leaves small bodies uncompressed", () => {
    const small = new RenderedPages().body(page(1), () => ({ ok: true }), true);
    expect(small).toEqual({ payload: '{"ok":true}', gzip: false });
  });

  it("reads Accept-Encoding as RFC 9110 §12.5.3 says", () => {
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip("")).toBe(false);
    expect(acceptsGzip("identity")).toBe(false);
    expect(acceptsGzip("gzip")).toBe(true);
    expect(acceptsGzip("gzip, deflate, br, zstd")).toBe(true);
    expect(acceptsGzip("br;q=1.0, GZIP;q=0.5")).toBe(true);
    expect(acceptsGzip("gzip;q=0")).toBe(false);
    expect(acceptsGzip("gzip;q=0, *")).toBe(false);
    expect(acceptsGzip("*")).toBe(true);
    expect(acceptsGzip("*;q=0")).toBe(false);
  });
});
