import { csvRecord } from "../../../csv/csvRecord.js";
import type { HoursReport } from "../../../hours/monthReports.js";

/**
 * hours.csv is one table, never two mixed: without `by=day` a row per member and centre for the
 * month; with `by=day` a row per member, centre and day instead (docs/hours.md "CSV files"), so
 * summing a column never counts a minute twice. Late minutes are month corrections that belong
 * to no day: the day table's minutes add up to the month table's session_minutes.
 */
export function hoursCsv(report: HoursReport, byDay: boolean): string {
  if (byDay) {
    let text = csvRecord([
      "month",
      "status",
      "centre_id",
      "member_id",
      "date",
      "sessions",
      "minutes",
    ]);
    for (const day of report.days ?? []) {
      text += csvRecord([
        report.month,
        report.status,
        day.centreId,
        day.memberId,
        day.date,
        day.sessionCount,
        day.minutes,
      ]);
    }
    return text;
  }
  let text = csvRecord([
    "month",
    "status",
    "centre_id",
    "member_id",
    "sessions",
    "session_minutes",
    "late_minutes",
    "minutes",
  ]);
  for (const line of report.lines) {
    text += csvRecord([
      report.month,
      report.status,
      line.centreId,
      line.memberId,
      line.sessionCount,
      line.sessionMinutes,
      line.lateMinutes,
      line.minutes,
    ]);
  }
  return text;
}
