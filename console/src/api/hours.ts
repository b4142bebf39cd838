/**
 * Hours as the hours service gives them (cloud/src/hours/liveFigures.ts, monthReports.ts): one
 * line per member and centre for a month, billable minutes already rounded per session.
 * `status` is "provisional" while the month runs, "open" after it, "closed" once closed.
 */
export interface HoursLine {
  centreId: string;
  centreName?: string;
  memberId?: string;
  memberName?: string | null;
  sessionCount?: number;
  minutes?: number;
  billableMinutes?: number;
}

export interface HoursDay {
  centreId: string;
  date: string;
  sessionCount: number;
  minutes: number;
}

export interface HoursAnswer {
  month?: string;
  status?: "provisional" | "open" | "closed";
  items?: HoursLine[];
  lines?: HoursLine[];
  days?: HoursDay[];
}

export function linesOf(answer: HoursAnswer | HoursLine[]): HoursLine[] {
  if (Array.isArray(answer)) return answer;
  return answer.items ?? answer.lines ?? [];
}

export function minutesOf(line: HoursLine): number {
  return line.billableMinutes ?? line.minutes ?? 0;
}
