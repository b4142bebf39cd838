import { DateTime } from "luxon";

/**
 * A weekday a week or more ahead at this Brussels wall-clock hour, as an ISO instant with its
 * offset: inside the test centres' opening hours (weekdays 08:00–18:00) whenever the suite runs.
 */
export function upcomingWeekday(hour: number, minute = 0, weeksAhead = 1): string {
  let day = DateTime.now().setZone("Europe/Brussels").plus({ weeks: weeksAhead }).startOf("day");
  while (day.weekday > 5) day = day.plus({ days: 1 });
  return day.set({ hour, minute }).toISO({ suppressMilliseconds: true }) as string;
}
