/** A wall-clock reading in a centre's time zone. */
export interface LocalTime {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Minutes since local midnight, 0 … 1439. */
  minute: number;
  /** Local date "YYYY-MM-DD". */
  date: string;
}

const weekdays: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/**
 * Local time in one IANA zone, DST-correct through Intl. Intl is slow (microseconds), and the
 * door decides in well under that, so the reading is cached per UTC minute: every zone offset
 * in use is a whole number of minutes, so one UTC minute is exactly one local minute.
 */
export class LocalClock {
  private readonly format: Intl.DateTimeFormat;
  private cachedMinute = Number.NaN;
  private cached: LocalTime = { weekday: 1, minute: 0, date: "1970-01-01" };

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
  }

  at(epochMs: number): LocalTime {
    const utcMinute = Math.floor(epochMs / 60_000);
    if (utcMinute === this.cachedMinute) return this.cached;
    const parts: Record<string, string> = {};
    for (const part of this.format.formatToParts(epochMs)) parts[part.type] = part.value;
    this.cached = {
      weekday: weekdays[parts.weekday ?? ""] ?? 1,
      minute: Number(parts.hour) * 60 + Number(parts.minute),
      date: `${parts.year}-${parts.month}-${parts.day}`,
    };
    this.cachedMinute = utcMinute;
    return this.cached;
  }
}
