import type { reportWordsFr } from "./reportWords.fr.js";

/** English for the reports and the audit log: the same keys as reportWords.fr.ts. */
export const reportWordsEn: Record<keyof typeof reportWordsFr, string> = {
  "nav.audit": "Audit log",
  "usage.title": "Bookings and use",
  "usage.total": "{month}: {bookings} booking(s), {noShows} with nobody coming.",
  "usage.table": "Bookings per centre, {month}",
  "usage.bookings": "Bookings",
  "usage.used": "Used (badged in)",
  "usage.noShows": "Nobody came",
  "usage.noShowRate": "No-show rate",
  "usage.cancelled": "Cancelled",
  "usage.bookedHours": "Hours booked",
  "usage.presenceHours": "Hours present",
  "usage.hint":
    "A booking is used when its holder badged in. “Nobody came”: released for want of a badge, or over without one. Hours present also count visits without a booking.",
  "settlement.networkTotal": "The network owes the centres {amount} for {month}.",
  "settlement.centreTotal": "{name}: {amount}",
  "settlement.rate": "Rate: {rate} an hour.",
  "settlement.rule":
    "What counts: the presences of members who held, when the presence began, a network pass valid at this centre and no pass of the centre's own (then the member pays the centre directly).",
  "settlement.ruleOld":
    "What counts: the presences of network pass holders (a month closed before the rule was shown).",
  "settlement.rounding": "The centre's rounding: {rule}.",
  "settlement.roundingOld": "Rounding: not recorded for this closed month.",
  "settlement.toCent":
    "Amount: minutes counted × hourly rate ÷ 60, to the nearest cent (a half cent up).",
  "settlement.linesOf": "{name}'s settlement, per member",
  "settlement.sessions": "Presences counted",
  "settlement.time": "Time counted (rounded)",
  "settlement.calculation": "Calculation",
  "settlement.formula": "{time} × {rate}/h ÷ 60",
  "settlement.late": "(of which {late} carried from a closed month)",
  "settlement.which": "Which presences count for {name} ({count} counted)",
  "settlement.sessionsOf": "{name}'s presences this month at this centre",
  "settlement.actual": "Actual length",
  "settlement.counted": "After rounding",
  "settlement.paid": "Paid to the centre?",
  "settlement.paidYes": "counted",
  "settlement.paidNo": "not counted: no network pass valid here when it began",
  "audit.title": "Audit log",
  "audit.intro":
    "Every door decision, every alarm and every change a person made, in order and chained: an entry changed or deleted afterwards breaks the chain.",
  "audit.actor": "Who",
  "audit.everyone": "Everyone",
  "audit.action": "What",
  "audit.concerns": "Concerns",
  "audit.position": "No.",
  "audit.network": "Whole network",
  "audit.caption": "Log entries, newest first ({count})",
  "audit.verifyTitle": "Verify the chain",
  "audit.verifyIntro":
    "Recomputes every link of the log, from the first to the last, and names the first one that does not match.",
  "audit.verify": "Verify the chain",
  "audit.verifying": "Verifying…",
  "audit.intact": "Chain intact: {count} entries checked.",
  "audit.lastHash": "Fingerprint of the last link (note it elsewhere): {hash}",
  "audit.broken":
    "Chain broken at entry no. {id}: {why}. The {count} entries before it are intact.",
};
