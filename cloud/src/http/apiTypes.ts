/**
 * The HTTP API's response types, derived from the route schemas (`Static<typeof …View>`), for
 * clients written in TypeScript: the web console imports them with `import type` through
 * "@passerelle/cloud/api-types", so a change of a view breaks the console's type check instead
 * of its users (docs/console.md). Types only: this file must never export a value, and the
 * package export has no run-time target.
 */
export type { AccessEventView } from "./routes/accessEvents/accessEventViews.js";
export type {
  CreatedInvitationView,
  InvitationView,
  StaffView,
} from "./routes/accounts/accountViews.js";
export type { AlarmView } from "./routes/alarms/alarmView.js";
export type {
  AuditEntryView,
  AuditPageView,
  AuditVerificationView,
} from "./routes/audit/auditViews.js";
export type { PrincipalView } from "./routes/auth/authRoutes.js";
export type {
  AvailabilityItem,
  AvailabilityPageView,
  AvailabilitySlot,
} from "./routes/availability/availabilityView.js";
export type { BadgeView } from "./routes/badges/badgeView.js";
export type { BookingView } from "./routes/bookings/bookingView.js";
export type { CalendarLinkView } from "./routes/calendar/calendarRoutes.js";
export type { CentreView } from "./routes/centres/centreView.js";
export type { DoorView } from "./routes/doors/doorView.js";
export type { GatewayView } from "./routes/gateways/gatewayView.js";
export type {
  BookedVsUsedView,
  HoursReportView,
  MonthView,
  NetworkFiguresView,
  SessionView,
  SettlementReportView,
} from "./routes/hours/hoursViews.js";
export type { MemberImportPreviewView } from "./routes/members/memberImportRoutes.js";
export type { MemberView } from "./routes/members/memberView.js";
export type { NetworkDaysView, WeekView } from "./routes/occupancy/occupancyHistoryViews.js";
export type {
  CentreCountView,
  CentreOccupancyView,
  DoorLiveView,
  NetworkOccupancyView,
} from "./routes/occupancy/occupancyViews.js";
export type { PassView } from "./routes/passes/passView.js";
export type { ResourceKind, ResourceView } from "./routes/resources/resourceView.js";
