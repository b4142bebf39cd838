import { type Static, Type } from "@sinclair/typebox";
import { StringEnum } from "../views/stringEnum.js";

const ruleCloseReasons = [
  "exit",
  "last-out",
  "other-centre",
  "inactivity",
  "closing-time",
  "cap",
] as const;

/** `YYYY-MM`, a calendar month (sessions count in the month of their start, centre's zone). */
export const MonthText = Type.String({
  pattern: "^\\d{4}-(0[1-9]|1[0-2])$",
  description: "YYYY-MM",
});

const Status = Type.Union(
  [Type.Literal("provisional"), Type.Literal("open"), Type.Literal("closed")],
  {
    description:
      "provisional: the month is not over; open: over, not closed; closed: frozen, the same bytes forever",
  },
);

const MonthStateFields = {
  month: MonthText,
  status: Status,
  provisional: Type.Boolean(),
  contentHash: Type.Union([Type.String(), Type.Null()], {
    description: "sha256 of the closed month's frozen statement",
  }),
};

export const HoursLineView = Type.Object({
  centreId: Type.String(),
  memberId: Type.String(),
  sessionCount: Type.Integer(),
  sessionMinutes: Type.Integer({ description: "billable minutes of the month's sessions" }),
  lateMinutes: Type.Integer({ description: "carried over from late events of a closed month" }),
  minutes: Type.Integer(),
});

export const HoursDayView = Type.Object({
  centreId: Type.String(),
  memberId: Type.String(),
  date: Type.String({ description: "the centre's local date" }),
  sessionCount: Type.Integer(),
  minutes: Type.Integer(),
});

export const HoursReportView = Type.Object({
  ...MonthStateFields,
  lines: Type.Array(HoursLineView),
  days: Type.Optional(Type.Array(HoursDayView)),
});
export type HoursReportView = Static<typeof HoursReportView>;

const SettlementMemberView = Type.Object({
  ...HoursLineView.properties,
  amountCents: Type.Integer(),
  sessionIds: Type.Optional(
    Type.Array(Type.String(), {
      description: "the sessions paid; each id is the access event that opened it",
    }),
  ),
});

const SettlementCentreView = Type.Object({
  centreId: Type.String(),
  currency: Type.Literal("EUR"),
  hourlyRateCents: Type.Integer(),
  rounding: Type.Optional(
    Type.Object(
      {
        mode: StringEnum(["session-up", "session-nearest", "month-total"]),
        stepMinutes: Type.Integer(),
      },
      { description: "how the minutes were rounded (absent in months closed before it was shown)" },
    ),
  ),
  passRule: Type.Optional(
    Type.Literal("network-pass-at-session-start", {
      description:
        "paid: sessions of members holding, at the session's start, a network pass valid there and no pass of the centre's own",
    }),
  ),
  minutes: Type.Integer(),
  amountCents: Type.Integer(),
  members: Type.Array(SettlementMemberView),
});

export const SettlementReportView = Type.Object({
  ...MonthStateFields,
  currency: Type.Literal("EUR"),
  totalCents: Type.Integer(),
  lines: Type.Array(SettlementCentreView),
});
export type SettlementReportView = Static<typeof SettlementReportView>;

export const BookedVsUsedView = Type.Object({
  ...MonthStateFields,
  lines: Type.Array(
    Type.Object({
      centreId: Type.String(),
      bookings: Type.Integer(),
      bookedMinutes: Type.Integer(),
      used: Type.Integer(),
      noShows: Type.Integer(),
      cancelled: Type.Integer(),
      presenceMinutes: Type.Integer(),
    }),
  ),
});
export type BookedVsUsedView = Static<typeof BookedVsUsedView>;

export const NetworkFiguresView = Type.Object({
  from: Type.String({ format: "date-time" }),
  to: Type.String({ format: "date-time" }),
  centres: Type.Array(
    Type.Object({
      centreId: Type.String(),
      openDays: Type.Integer(),
      averageDailyUsers: Type.Number(),
      peakDailyUsers: Type.Integer(),
      peakDay: Type.Union([Type.String(), Type.Null()]),
      closedDayUsers: Type.Integer({
        description: "user-days on days the centre was closed: out of the average and the peak",
      }),
      occupancyRate: Type.Number(),
      occupiedSeatMinutes: Type.Integer(),
      capacitySeatMinutes: Type.Integer(),
      peakOccupancy: Type.Integer(),
      peakAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
    }),
  ),
});
export type NetworkFiguresView = Static<typeof NetworkFiguresView>;

export const SessionView = Type.Object({
  id: Type.String(),
  memberId: Type.String(),
  centreId: Type.String(),
  start: Type.String({ format: "date-time" }),
  end: Type.String({ format: "date-time", description: "projected (closing time) while running" }),
  closeReason: StringEnum(
    [...ruleCloseReasons, "correction"] as const,
    "how it ended: exit badge, last out (headcount 0), badge-in at another centre, inactivity (last seen + grace, or the limit), closing time, cap, or a person's correction",
  ),
  ruleCloseReason: StringEnum(ruleCloseReasons, "how the presence rules ended it"),
  confirmed: Type.Boolean({
    description: "false while a no-exit rule closed it and nobody confirmed or corrected it",
  }),
  editableUntil: Type.String({
    format: "date-time",
    description: "end of the centre manager's edit window",
  }),
  openEventId: Type.String(),
  closeEventId: Type.Union([Type.String(), Type.Null()]),
  localDate: Type.String(),
  month: MonthText,
  computedMinutes: Type.Integer(),
  billableMinutes: Type.Integer(),
  adjustmentId: Type.Union([Type.String(), Type.Null()]),
});
export type SessionView = Static<typeof SessionView>;

export const MonthView = Type.Object({
  ...MonthStateFields,
  closed: Type.Boolean(),
  closedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  closedBy: Type.Union([Type.String(), Type.Null()]),
  statement: Type.Union([Type.String(), Type.Null()], {
    description: "the frozen statement's exact bytes (canonical JSON); its sha256 is contentHash",
  }),
});
export type MonthView = Static<typeof MonthView>;
