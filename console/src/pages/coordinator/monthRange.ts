import { zonedIso } from "../../format.js";

/** The month after "2026-12": "2027-01". */
export function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return m === 12 ? `${(y ?? 0) + 1}-01` : `${y}-${String((m ?? 0) + 1).padStart(2, "0")}`;
}

/** A month as a zone sees it: its first midnight to the next month's, as ISO with offsets. */
export function monthRange(month: string, timeZone: string): { from: string; to: string } {
  return {
    from: zonedIso(`${month}-01`, "00:00", timeZone),
    to: zonedIso(`${nextMonth(month)}-01`, "00:00", timeZone),
  };
}
