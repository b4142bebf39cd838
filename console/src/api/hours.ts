/**
 * Hours as the reports answer them. The hours routes (GET /me/hours, /reports/hours) give one
 * line per member and centre for a month; the console reads these fields and tolerates the
 * optional ones missing.
 */
export interface HoursLine {
  centreId: string;
  centreName?: string;
  memberId?: string;
  memberName?: string | null;
  sessions?: number;
  minutes?: number;
  billableMinutes?: number;
}

export interface HoursAnswer {
  month?: string;
  items?: HoursLine[];
  lines?: HoursLine[];
  totalMinutes?: number;
  totalBillableMinutes?: number;
}

export function linesOf(answer: HoursAnswer | HoursLine[]): HoursLine[] {
  if (Array.isArray(answer)) return answer;
  return answer.items ?? answer.lines ?? [];
}

export function minutesOf(line: HoursLine): number {
  return line.billableMinutes ?? line.minutes ?? 0;
}
