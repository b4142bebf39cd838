/**
 * The report routes' answers as the console reads them. The field names follow the API map
 * (docs/api.md); optional fields let one renderer read a line whichever way a total is named.
 */
export interface SettlementLine {
  centreId: string;
  centreName?: string;
  minutes?: number;
  billableMinutes?: number;
  rateCents?: number;
  hourlyRateCents?: number;
  amountCents?: number;
}

export interface SettlementAnswer {
  month?: string;
  closed?: boolean;
  items?: SettlementLine[];
  lines?: SettlementLine[];
  totalCents?: number;
}

export interface NetworkLine {
  centreId: string;
  centreName?: string;
  visits?: number;
  distinctMembers?: number;
  members?: number;
  usersPerDay?: number;
  averageDailyUsers?: number;
  occupancyRate?: number;
  hours?: number;
  minutes?: number;
}

export interface NetworkAnswer {
  items?: NetworkLine[];
  centres?: NetworkLine[];
  lines?: NetworkLine[];
}

export interface MonthView {
  month: string;
  closed?: boolean;
  status?: string;
  closedAt?: string | null;
  closedBy?: string | null;
}

export const settlementLines = (a: SettlementAnswer | SettlementLine[]) =>
  Array.isArray(a) ? a : (a.items ?? a.lines ?? []);
export const networkLines = (a: NetworkAnswer | NetworkLine[]) =>
  Array.isArray(a) ? a : (a.items ?? a.centres ?? a.lines ?? []);
export const isClosed = (m: MonthView) => m.closed === true || m.status === "closed";
