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
  let id = 0;
  const nextId = () => {
    id += 1;
    return `e${String(id).padStart(4, "0")}`;
  };
  const at = (hour: number, minute: number) =>
    new Date(Date.UTC(2026, 11, 2, hour, minute)).toISOString();
  const badge = (
    hour: number,
    minute: number,
    member: string | null,
    direction: "in" | "out",
    outcome: "granted" | "denied" = "granted",
  ) =>
    ({
      id: nextId(),
      occurredAt: at(hour, minute),
      centreId: "redu",
      doorId: "redu-main",
      type: "access",
      direction,
      memberId: member,
      outcome,
    }) as AccessEventView;
  const exit = (hour: number, minute: number) =>
    ({
      id: nextId(),
      occurredAt: at(hour, minute),
      centreId: "redu",
      doorId: "redu-main",
      type: "door.exit",
      direction: "out",
      memberId: null,
      outcome: null,
    }) as AccessEventView;
  const start = Date.UTC(2026, 11, 2);

  it("counts granted entries and exit badges, ignores refusals, never goes below zero", () => {
    const curve = curveFromEvents(
      [
        badge(8, 5, "ann", "in"),
        badge(8, 1, "bob", "out"), // bob is not inside: nothing moves (and never below 0)
        badge(8, 9, "cyd", "in", "denied"),
        badge(8, 9, null, "out", "denied"), // an unknown card at the reader inside
        badge(8, 10, "bob", "in"),
        badge(8, 20, "bob", "out"),
      ],
      start,
    );
    expect(curve.map((p) => [new Date(p.x).toISOString().slice(11, 16), p.y])).toEqual([
      ["00:00", 0],
      ["08:05", 1],
      ["08:10", 2],
      ["08:20", 1],
    ]);
  });

  it("takes one off at each anonymous exit (exit button, free egress), none below zero", () => {
    const curve = curveFromEvents(
      [badge(8, 5, "ann", "in"), badge(8, 6, "bob", "in"), exit(8, 30), exit(8, 31), exit(8, 32)],
      start,
    );
    expect(curve.map((p) => p.y)).toEqual([0, 1, 2, 1, 0]);
  });

  it("counts a member who comes back from lunch once, not twice", () => {
    const curve = curveFromEvents(
      [
        badge(8, 0, "ann", "in"), // 1
        // Ann went to lunch through a door that counted nobody and badges back in: still 1.
        badge(12, 0, "ann", "in"),
        badge(12, 30, "bob", "in"), // 2
        exit(13, 0), // ann or bob left by the button: 1
        badge(13, 10, "ann", "in"), // perhaps ann back from that exit: 2
        badge(13, 11, "ann", "in"), // a second tap: still 2
        exit(17, 0), // 1
        exit(17, 5), // 0: the last out
        badge(17, 30, "ann", "in"), // a new visit: 1
      ],
      start,
    );
    expect(curve.map((p) => [new Date(p.x).toISOString().slice(11, 16), p.y])).toEqual([
      ["00:00", 0],
      ["08:00", 1],
      ["12:30", 2],
      ["13:00", 1],
      ["13:10", 2],
      ["17:00", 1],
      ["17:05", 0],
      ["17:30", 1],
    ]);
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
