/**
 * A small iCalendar (RFC 5545) writer: one VCALENDAR of VEVENTs with times in UTC. Only what
 * the booking feeds need, written to the letter of the RFC so every calendar app reads it:
 * CRLF line ends (§3.1), lines folded at 75 octets (§3.1), TEXT values escaped (§3.3.11),
 * UTC DATE-TIME values "YYYYMMDDTHHMMSSZ" (§3.3.5, form #2).
 */

export type EventStatus = "CONFIRMED" | "TENTATIVE" | "CANCELLED";

export interface CalendarEvent {
  /** Globally unique and stable across feed refreshes (§3.8.4.7): clients update by UID. */
  readonly uid: string;
  /** When this information was last revised in the store (§3.8.7.2, no METHOD present). */
  readonly stamp: Date;
  readonly start: Date;
  readonly end: Date;
  readonly summary: string;
  readonly location?: string;
  readonly description?: string;
  readonly status: EventStatus;
  /** Revision number (§3.8.7.4); raise it on a change so clients replace their copy. */
  readonly sequence?: number;
}

export interface CalendarDocument {
  /** §3.7.3: "-//Company//Product//LANG". */
  readonly productId: string;
  /** Shown by most apps as the calendar's name (RFC 7986 §5.1 NAME, and X-WR-CALNAME). */
  readonly name?: string;
  /** How often a subscriber should refetch (RFC 7986 §5.7), in minutes. */
  readonly refreshMinutes?: number;
  readonly events: readonly CalendarEvent[];
}

const CRLF = "\r\n";
const MAX_LINE_OCTETS = 75;

/**
 * TEXT value escaping (§3.3.11): backslash, semicolon and comma are escaped, a line break
 * becomes "\n". Other control characters are not allowed in TEXT (only HTAB is): dropped.
 */
export function escapeText(value: string): string {
  return (
    value
      .replace(/\r\n?/g, "\n")
      .replace(/[\\;,]/g, (char) => `\\${char}`)
      .replace(/\n/g, "\\n")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
      .replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, "")
  );
}

/**
 * Folds a content line (§3.1): no line longer than 75 octets excluding the CRLF; each
 * continuation starts with one space (which counts in its 75). Cuts fall between characters,
 * never inside a UTF-8 multi-octet sequence.
 */
export function foldLine(line: string): string {
  const pieces: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, "utf8");
    if (octets + size > MAX_LINE_OCTETS) {
      pieces.push(current);
      current = " ";
      octets = 1;
    }
    current += char;
    octets += size;
  }
  pieces.push(current);
  return pieces.join(CRLF);
}

/** A UTC DATE-TIME value (§3.3.5 form #2): 20260303T080000Z. Milliseconds are dropped. */
export function utcDateTime(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
}

function eventLines(event: CalendarEvent): string[] {
  const lines = [
    "BEGIN:VEVENT",
    `UID:${escapeText(event.uid)}`,
    `DTSTAMP:${utcDateTime(event.stamp)}`,
    `DTSTART:${utcDateTime(event.start)}`,
    `DTEND:${utcDateTime(event.end)}`,
    `SUMMARY:${escapeText(event.summary)}`,
  ];
  if (event.location !== undefined) lines.push(`LOCATION:${escapeText(event.location)}`);
  if (event.description !== undefined) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
  lines.push(`STATUS:${event.status}`);
  if (event.sequence !== undefined) lines.push(`SEQUENCE:${event.sequence}`);
  lines.push("END:VEVENT");
  return lines;
}

/** The whole iCalendar object, every line folded and ended by CRLF (the last one too). */
export function serializeCalendar(calendar: CalendarDocument): string {
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", `PRODID:${calendar.productId}`];
  lines.push("CALSCALE:GREGORIAN");
  if (calendar.name !== undefined) {
    lines.push(`NAME:${escapeText(calendar.name)}`, `X-WR-CALNAME:${escapeText(calendar.name)}`);
  }
  if (calendar.refreshMinutes !== undefined) {
    lines.push(`REFRESH-INTERVAL;VALUE=DURATION:PT${calendar.refreshMinutes}M`);
  }
  for (const event of calendar.events) lines.push(...eventLines(event));
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join(CRLF) + CRLF;
}
