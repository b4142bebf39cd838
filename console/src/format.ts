import { instantOfLocal, zonedReading } from "@passerelle/protocol/browser";
import { locale } from "./i18n/i18n.js";

const asDate = (value: string | number | Date) => (value instanceof Date ? value : new Date(value));

/**
 * The zone of times that belong to no one centre (a month closed, an invitation's expiry, an
 * audit entry of the whole network): the network's, never the zone of the device that happens
 * to read them. Each centre's own times are given its zone by the caller.
 */
export const networkTimeZone = "Europe/Brussels";

export function formatDateTime(value: string | number | Date, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale(), {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: timeZone ?? networkTimeZone,
  }).format(asDate(value));
}

export function formatTime(value: string | number | Date, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale(), {
    timeStyle: "short",
    timeZone: timeZone ?? networkTimeZone,
  }).format(asDate(value));
}

export function formatDate(value: string | number | Date, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale(), {
    dateStyle: "full",
    timeZone: timeZone ?? networkTimeZone,
  }).format(asDate(value));
}

export function formatNumber(value: number, digits = 0): string {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(value);
}

export function formatMoney(cents: number): string {
  return new Intl.NumberFormat(locale(), { style: "currency", currency: "EUR" }).format(
    cents / 100,
  );
}

export function formatHours(minutes: number): string {
  return `${formatNumber(minutes / 60, 2)} h`;
}

/**
 * A wall-clock date and time in a centre's zone as ISO 8601 with its offset
 * ("2026-03-03T09:00:00+01:00"): the API refuses a time without one. The instant is the
 * protocol's reading of a local time (instantOfLocal: a time the autumn change repeats is its
 * first occurrence, one the spring change skips is read with the offset before it).
 */
export function zonedIso(date: string, time: string, timeZone: string): string {
  const [hh, mm] = time.split(":").map(Number);
  const minuteOfDay = (hh ?? 0) * 60 + (mm ?? 0);
  const wall = Date.parse(`${date}T00:00:00Z`) + minuteOfDay * 60_000;
  const offset = Math.round((wall - instantOfLocal(date, minuteOfDay, timeZone)) / 60_000);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date}T${pad(hh ?? 0)}:${pad(mm ?? 0)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Today as YYYY-MM-DD in the browser's zone. */
export function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** This month as YYYY-MM. */
export function thisMonth(): string {
  return today().slice(0, 7);
}

/** Today as YYYY-MM-DD in a centre's zone. */
export function todayIn(timeZone: string): string {
  return zonedReading(Date.now(), timeZone).date;
}

/** A month ("2026-03") in the chosen language: "mars 2026", "March 2026". */
export function formatMonth(month: string): string {
  const [y, m] = month.split("-").map(Number);
  if (!y || !m) return month;
  return new Intl.DateTimeFormat(locale(), {
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(Date.UTC(y, m - 1, 15)));
}

/** Minutes as a person reads a length of time: "45 min", "2 h", "2 h 15 min". */
export function formatDuration(minutes: number): string {
  const whole = Math.round(minutes);
  const h = Math.floor(whole / 60);
  const m = whole % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${formatNumber(h)} h` : `${formatNumber(h)} h ${m} min`;
}

/** A local date ("2026-11-23") as the weekday's name ("lundi", "Monday"). */
export function formatWeekday(date: string): string {
  return new Intl.DateTimeFormat(locale(), { weekday: "long", timeZone: "UTC" }).format(
    new Date(`${date}T12:00:00Z`),
  );
}

/** A local date ("2026-11-23") short, with its weekday ("lun. 23/11", "Mon 23/11"). */
export function formatShortDate(date: string): string {
  return new Intl.DateTimeFormat(locale(), {
    weekday: "short",
    day: "2-digit",
    month: "2-digit",
    timeZone: "UTC",
  }).format(new Date(`${date}T12:00:00Z`));
}

/** A share (0.25) as a percentage ("25 %"). */
export function formatPercent(share: number): string {
  return new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 0 }).format(
    share,
  );
}
