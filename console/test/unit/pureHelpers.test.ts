import type { AccessEventView } from "@passerelle/cloud/api-types";
import { describe, expect, it } from "vitest";
import { parseEventBlock } from "../../src/api/eventStream.js";
import { coversRange } from "../../src/api/slots.js";
import { zonedIso } from "../../src/format.js";
import type { PageDefinition } from "../../src/page.js";
import { curveFromEvents } from "../../src/pages/manager/occupancyCurve.js";
import { matchRoute } from "../../src/router.js";

describe("zonedIso: a wall-clock time in a centre's zone, with its offset", () => {
  it("gives Brussels' winter and summer offsets, and Paris' the same", () => {
    expect(zonedIso("2026-12-02", "09:00", "Europe/Brussels")).toBe("2026-12-02T09:00:00+01:00");
    expect(zonedIso("2026-07-01", "17:30", "Europe/Brussels")).toBe("2026-07-01T17:30:00+02:00");
    expect(zonedIso("2026-03-29", "12:00", "Europe/Paris")).toBe("2026-03-29T12:00:00+02:00");
    expect(zonedIso("2026-12-02", "09:00", "UTC")).toBe("2026-12-02T09:00:00+00:00");
  });

  it("reads the hours a DST change repeats or skips as the protocol does (instantOfLocal)", () => {
    // 02:30 happens twice on 25 October: the first time, still in summer time.
    expect(zonedIso("2026-10-25", "02:30", "Europe/Brussels")).toBe("2026-10-25T02:30:00+02:00");
    // 02:30 never happens on 29 March: read with the offset before the jump (= 03:30 CEST).
    expect(zonedIso("2026-03-29", "02:30", "Europe/Brussels")).toBe("2026-03-29T02:30:00+01:00");
    expect(zonedIso("2026-03-08", "02:30", "America/New_York")).toBe("2026-03-08T02:30:00-05:00");
  });
});

describe("coversRange: may the resource take the whole booking?", () => {
  const at = (time: string) => Date.parse(`2026-12-02T${time}:00Z`);
  const slot = (start: string, end: string, free = 1) => ({
    start: `2026-12-02T${start}:00Z`,
    end: `2026-12-02T${end}:00Z`,
    free,
  });
  it("accepts touching free slots and refuses a gap or a full slot", () => {
    expect(
      coversRange([slot("08:00", "12:00"), slot("12:00", "18:00")], at("09:00"), at("17:00")),
    ).toBe(true);
    expect(
      coversRange([slot("08:00", "12:00"), slot("13:00", "18:00")], at("09:00"), at("17:00")),
    ).toBe(false);
    expect(
      coversRange([slot("08:00", "12:00"), slot("12:00", "18:00", 0)], at("09:00"), at("17:00")),
    ).toBe(false);
    expect(coversRange([slot("10:00", "18:00")], at("09:00"), at("17:00"))).toBe(false);
    expect(coversRange([], at("09:00"), at("17:00"))).toBe(false);
  });
});

describe("parseEventBlock: one Server-Sent Event", () => {
  it("reads the event name, joins data lines, and drops comments (heartbeats)", () => {
    expect(parseEventBlock('event: snapshot\nid: 7\ndata: {"inside":1,\ndata: "x":2}')).toEqual({
      event: "snapshot",
      id: "7",
      data: '{"inside":1,\n"x":2}',
    });
    expect(parseEventBlock(": heartbeat")).toBeNull();
    expect(parseEventBlock("data:plain")).toEqual({ event: "message", data: "plain" });
  });
});

describe("curveFromEvents: today's occupancy from the access log", () => {
  const event = (
    minute: number,
    direction: "in" | "out",
    outcome: "granted" | "denied" = "granted",
  ) =>
    ({
      occurredAt: new Date(Date.UTC(2026, 11, 2, 8, minute)).toISOString(),
      type: "access",
      direction,
      outcome,
    }) as AccessEventView;
  it("counts granted entries and exits, ignores refusals, never goes below zero", () => {
    const start = Date.UTC(2026, 11, 2);
    const curve = curveFromEvents(
      [
        event(5, "in"),
        event(1, "out"),
        event(9, "in", "denied"),
        event(10, "in"),
        event(20, "out"),
      ],
      start,
    );
    expect(curve.map((p) => p.y)).toEqual([0, 0, 1, 2, 1]);
    expect(curve[0]?.x).toBe(start);
  });

  it("takes one off at each anonymous exit (exit button, free egress)", () => {
    const exit = (minute: number) =>
      ({
        occurredAt: new Date(Date.UTC(2026, 11, 2, 8, minute)).toISOString(),
        type: "door.exit",
        direction: "out",
        outcome: null,
      }) as AccessEventView;
    const curve = curveFromEvents(
      [event(5, "in"), event(6, "in"), exit(30), exit(31), exit(32)],
      Date.UTC(2026, 11, 2),
    );
    expect(curve.map((p) => p.y)).toEqual([0, 1, 2, 1, 0, 0]);
  });
});

describe("matchRoute", () => {
  const page = (path: string) =>
    ({ path, title: "board.title", roles: [], render: () => "" }) as unknown as PageDefinition;
  const pages = [page("/board"), page("/board/:centreId")];
  it("finds the page and decodes its parameters", () => {
    expect(matchRoute(pages, "/board/tiers-lieu%20ciney")?.params).toEqual({
      centreId: "tiers-lieu ciney",
    });
    expect(matchRoute(pages, "/board")?.page.path).toBe("/board");
    expect(matchRoute(pages, "/board/a/b")).toBeNull();
  });
});
