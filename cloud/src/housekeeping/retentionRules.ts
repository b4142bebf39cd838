/**
 * How long access events and audit entries stay in the database before an archive run moves
 * them to monthly files (docs/cloud-store.md "Retention and archive"). Counted in whole UTC
 * months before the current one: 24 keeps this month and the 24 before it.
 */
export interface RetentionRules {
  readonly accessEventMonths: number;
  readonly auditMonths: number;
}

export const defaultRetention: RetentionRules = { accessEventMonths: 24, auditMonths: 60 };

/**
 * Below this a month still being corrected or closed could leave: corrections have a 24 h
 * window, a month is closed in the days after it ends, late events arrive within weeks.
 */
export const minimumRetentionMonths = 3;

export function checkRetention(rules: RetentionRules): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(rules)) {
    if (!Number.isInteger(value) || value < minimumRetentionMonths || value > 1200) {
      problems.push(
        `${name} must be a whole number of months from ${minimumRetentionMonths} to 1200`,
      );
    }
  }
  return problems;
}

/** A UTC month, "YYYY-MM". */
export type UtcMonth = string;

export function utcMonthOf(epochMs: number): UtcMonth {
  return new Date(epochMs).toISOString().slice(0, 7);
}

export function utcMonthStart(month: UtcMonth): number {
  return Date.parse(`${month}-01T00:00:00Z`);
}

export function addUtcMonths(month: UtcMonth, count: number): UtcMonth {
  const date = new Date(utcMonthStart(month));
  date.setUTCMonth(date.getUTCMonth() + count);
  return utcMonthOf(date.getTime());
}

/** The first month kept: everything dated before its first instant may be archived. */
export function firstKeptMonth(now: number, keptMonths: number): UtcMonth {
  return addUtcMonths(utcMonthOf(now), -keptMonths);
}

/** The months from `first` up to, not including, `end`. */
export function monthsBetween(first: UtcMonth, end: UtcMonth): UtcMonth[] {
  const months: UtcMonth[] = [];
  for (let month = first; month < end; month = addUtcMonths(month, 1)) months.push(month);
  return months;
}
