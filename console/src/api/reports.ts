import type { MonthView } from "@passerelle/cloud/api-types";

/**
 * The report routes' answers as the console reads them. The field names follow the API map
 * (docs/api.md); optional fields let one renderer read a line whichever way a total is named.
 */
/** One centre paid: its rate, the network members' minutes there, the amount. */
export interface SettlementLine {
  centreId: string;
  centreName?: string;
  minutes?: number;
  billableMinutes?: number;
  hourlyRateCents?: number;
  amountCents?: number;
  members?: { memberId: string; minutes: number; amountCents: number }[];
}

export interface SettlementAnswer {
  month?: string;
  status?: "provisional" | "open" | "closed";
  items?: SettlementLine[];
  lines?: SettlementLine[];
  totalCents?: number;
}

/** GET /reports/network: per centre over the period. */
export interface NetworkLine {
  centreId: string;
  centreName?: string;
  openDays?: number;
  averageDailyUsers?: number;
  peakDailyUsers?: number;
  peakDay?: string | null;
  /** 0..1: occupied seat-minutes over capacity seat-minutes in opening hours. */
  occupancyRate?: number;
  peakOccupancy?: number;
}

export interface NetworkAnswer {
  items?: NetworkLine[];
  centres?: NetworkLine[];
  lines?: NetworkLine[];
}

export const settlementLines = (a: SettlementAnswer | SettlementLine[]) =>
  Array.isArray(a) ? a : (a.items ?? a.lines ?? []);
export const networkLines = (a: NetworkAnswer | NetworkLine[]) =>
  Array.isArray(a) ? a : (a.items ?? a.centres ?? a.lines ?? []);
export const isClosed = (m: MonthView) => m.closed === true || m.status === "closed";
export const isProvisional = (m: MonthView) => m.status === "provisional";
