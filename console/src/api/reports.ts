import type { MonthView } from "@passerelle/cloud/api-types";

/** A month the coordinator has closed: its figures are frozen. */
export const isClosed = (m: MonthView) => m.closed === true || m.status === "closed";
/** A month still running: its figures change at each entry. */
export const isProvisional = (m: MonthView) => m.status === "provisional";
