import { describe, expect, it } from "vitest";
import {
  type CalendarEvent,
  escapeText,
  foldLine,
  serializeCalendar,
  utcDateTime,
} from "../../src/calendar/icalendar.js";

/** RFC 5545 §3.1 unfolding: a CRLF followed by one space or tab is removed. */
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, "");

const event: CalendarEvent = {
  uid: "0193a1b2-0000-7000-8000-000000000001@passerelle",
  stamp: new Date("2026-03-01T10:15:30.123Z"),
  start: new Date("2026-03-03T08:00:00Z"),
  end: new Date("2026-03-03T12:30:00Z"),
  summary: "Desk 1 (Redu)",
  location: "Desk 1, Redu",
  status: "CONFIRMED",
  sequence: 0,
};

describe("iCalendar serialiser (RFC 5545)", () => {
  it("writes one VCALENDAR with VERSION and PRODID and a VEVENT with the required properties", () => {
    const text = serializeCalendar({ productId: "-//Passerelle//Test//EN", events: [event] });
    const lines = unfold(text).split("\r\n");
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines).toContain("VERSION:2.0");
    expect(lines).toContain("PRODID:-//Passerelle//Test//EN");
    expect(lines.at(-2)).toBe("END:VCALENDAR");
    // §3.6.1: UID and DTSTAMP are required once in a VEVENT when there is no METHOD.
    const begin = lines.indexOf("BEGIN:VEVENT");
    const end = lines.indexOf("END:VEVENT");
    expect(begin).toBeGreaterThan(0);
    expect(lines.slice(begin, end + 1)).toEqual([
      "BEGIN:VEVENT",
      "UID:0193a1b2-0000-7000-8000-000000000001@passerelle",
      "DTSTAMP:20260301T101530Z",
      "DTSTART:20260303T080000Z",
      "DTEND:20260303T123000Z",
      "SUMMARY:Desk 1 (Redu)",
      "LOCATION:Desk 1\\, Redu",
      "STATUS:CONFIRMED",
      "SEQUENCE:0",
      "END:VEVENT",
    ]);
  });

  it("ends every line with CRLF, the last one included, and has no bare LF or CR", () => {
    const text = serializeCalendar({
      productId: "-//P//T//EN",
      name: "Mes réservations",
      events: [event, { ...event, uid: "b@passerelle", status: "CANCELLED", sequence: 1 }],
    });
    expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("writes UTC DATE-TIME values in the basic format with Z (§3.3.5 form 2)", () => {
    expect(utcDateTime(new Date("2026-12-31T23:59:59.999Z"))).toBe("20261231T235959Z");
    // An instant given with an offset is written as the same instant in UTC.
    expect(utcDateTime(new Date("2026-03-03T09:00:00+01:00"))).toBe("20260303T080000Z");
  });

  it("escapes TEXT values: backslash, semicolon, comma and line breaks (§3.3.11)", () => {
    expect(escapeText("a\\b;c,d\ne")).toBe("a\\\\b\\;c\\,d\\ne");
    expect(escapeText("one\r\ntwo\rthree")).toBe("one\\ntwo\\nthree");
    // Colons and double quotes need no escaping in TEXT; other controls are not allowed at all.
    expect(escapeText('Room: "A"\u0007')).toBe('Room: "A"');
  });

  it("keeps a hostile summary inside its property: no injected line or property", () => {
    const text = serializeCalendar({
      productId: "-//P//T//EN",
      events: [{ ...event, summary: "x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil" }],
    });
    const lines = unfold(text).split("\r\n");
    expect(lines.filter((line) => line === "BEGIN:VEVENT")).toHaveLength(1);
    expect(lines).toContain("SUMMARY:x\\nEND:VEVENT\\nBEGIN:VEVENT\\nUID:evil");
  });

  it("folds lines longer than 75 octets with CRLF + space, and unfolding restores them (§3.1)", () => {
    const long = `SUMMARY:${"Salle de réunion « Les Ardennes » ".repeat(6)}`;
    const folded = foldLine(long);
    const physical = folded.split("\r\n");
    expect(physical.length).toBeGreaterThan(1);
    for (const line of physical) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
    for (const line of physical.slice(1)) expect(line.startsWith(" ")).toBe(true);
    expect(unfold(folded)).toBe(long);
  });

  it("never splits a multi-octet UTF-8 character across lines", () => {
    // 74 ASCII octets then "é" (2 octets): the é must move whole to the next line.
    const line = `${"X".repeat(74)}é${"€".repeat(40)}`;
    const physical = foldLine(line).split("\r\n");
    expect(physical[0]).toBe("X".repeat(74));
    for (const piece of physical) {
      expect(Buffer.byteLength(piece, "utf8")).toBeLessThanOrEqual(75);
      // Every physical line is valid UTF-8 by itself (a cut sequence would decode to U+FFFD).
      expect(Buffer.from(piece, "utf8").toString("utf8")).not.toContain("\uFFFD");
    }
    expect(unfold(physical.join("\r\n"))).toBe(line);
  });

  it("leaves a line of exactly 75 octets alone and folds one of 76", () => {
    expect(foldLine("A".repeat(75))).toBe("A".repeat(75));
    expect(foldLine("A".repeat(76))).toBe(`${"A".repeat(75)}\r\n A`);
  });

  it("names the calendar and its refresh interval when asked (RFC 7986)", () => {
    const text = serializeCalendar({
      productId: "-//P//T//EN",
      name: "Passerelle; Redu",
      refreshMinutes: 60,
      events: [],
    });
    const lines = text.split("\r\n");
    expect(lines).toContain("NAME:Passerelle\\; Redu");
    expect(lines).toContain("X-WR-CALNAME:Passerelle\\; Redu");
    expect(lines).toContain("REFRESH-INTERVAL;VALUE=DURATION:PT60M");
    expect(lines).not.toContain("BEGIN:VEVENT");
  });
});
