const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hourCycle: "h23",
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, format);
  }
  return format;
}

const weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** Where an instant falls in a zone's local day: ISO weekday, date and minutes since midnight. */
export interface LocalDay {
  readonly date: string;
  readonly weekday: number;
  readonly minute: number;
  /** The instant of local midnight that day (to the minute; DST days are 23 or 25 h long). */
  readonly midnight: number;
}

export function localDay(at: number, timeZone: string): LocalDay {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(at))
      .map((part) => [part.type, part.value]),
  );
  const minute = Number(parts.hour) * 60 + Number(parts.minute);
  const seconds = Number(parts.second) * 1000 + (at % 1000);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: weekdays.indexOf(parts.weekday ?? "Mon") + 1,
    minute,
    midnight: at - minute * 60_000 - seconds,
  };
}

/** Today at `hhmm` in the zone: where a compressed simulated day starts. */
export function localTimeToday(now: number, timeZone: string, hhmm: string): number {
  const [hours, minutes] = hhmm.split(":").map(Number);
  return localDay(now, timeZone).midnight + ((hours ?? 0) * 60 + (minutes ?? 0)) * 60_000;
}
