/**
 * Every table of the cloud store, as kysely sees it. Conventions (docs/cloud-store.md):
 * - instants are UTC epoch milliseconds (`bigint` in PostgreSQL, INTEGER in SQLite; the pg pool
 *   parses int8 to a JS number, exact up to year 287 396);
 * - local calendar values (opening hours, closed dates) are the centre's wall-clock, as text;
 * - ids are text: slugs for centres and gateways, caller-chosen ids or UUIDv7 elsewhere;
 * - no booleans (SQLite has none): a nullable instant says "since when", a small text enum the
 *   state, 0/1 integers the rest.
 */
export type Instant = number;

export interface SettingsTable {
  key: string;
  value: string;
}

export interface CentresTable {
  id: string;
  name: string;
  time_zone: string;
  /** JSON WeeklySchedule (protocol/src/schemas/bundle.ts), local wall-clock. */
  opening_hours: string;
  /** JSON array of local "YYYY-MM-DD" days the centre is closed. */
  closed_dates: string;
  capacity: number;
  hourly_rate_cents: number;
  currency: string;
  booking_grace_minutes: number;
  no_show_release_minutes: number;
  room_buffer_minutes: number;
  /** Presence (0004, docs/hours.md): billable time is rounded up per session to this step. */
  rounding_step_minutes: number;
  /** A session closes this long after its latest granted entry. */
  inactivity_limit_minutes: number;
  /** How long after a session ends its centre's manager may still correct it. */
  edit_window_minutes: number;
  /** 0006: what ends a session nobody saw end (docs/hours.md "No-exit policy"). */
  no_exit_policy: NoExitPolicyKind;
  /** The policy's minutes: the last-seen grace, or the cap; unused by closing-time. */
  no_exit_minutes: number;
  rounding_mode: RoundingMode;
  created_at: Instant;
  updated_at: Instant;
  archived_at: Instant | null;
  /** 0011: the centre's doors refuse everyone but staff since then; NULL: no lockdown. */
  lockdown_at: Instant | null;
  /** Who ordered the lockdown ("user:…"). */
  lockdown_by: string | null;
}

export type NoExitPolicyKind = "closing-time" | "last-seen" | "cap";
export type RoundingMode = "session-up" | "session-nearest" | "month-total";

export type ResourceKind = "desk" | "zone" | "room";

export interface ResourcesTable {
  id: string;
  centre_id: string;
  kind: ResourceKind;
  name: string;
  /** Seats: 1 for a desk, the zone's seat count, a room's seats (the room is booked whole). */
  capacity: number;
  created_at: Instant;
  archived_at: Instant | null;
}

export interface GatewaysTable {
  id: string;
  centre_id: string;
  name: string;
  /** scrypt hash of the broker secret (security/secrets.ts); the secret itself is never kept. */
  secret_hash: string;
  created_at: Instant;
  secret_rotated_at: Instant;
  disabled_at: Instant | null;
}

export type DoorDirection = "in" | "out" | "both";
/** How people leave through a door (0006; the bundle's Door.exitKind). */
export type ExitKind = "exit-reader" | "exit-button" | "free-egress";

export interface DoorsTable {
  id: string;
  centre_id: string;
  gateway_id: string | null;
  name: string;
  direction: DoorDirection;
  exit_kind: ExitKind;
  /** 0011: seconds open before "held open"; NULL: the gateway's configured default. */
  held_open_seconds: number | null;
  /** 1: card + PIN door (a keypad reader; staff-only doors), 0 otherwise (0008). */
  pin_required: number;
  created_at: Instant;
  updated_at: Instant;
}

/** 0011: an alarm raised from what a gateway reported; acknowledged by staff with a note. */
export interface AlarmsTable {
  id: string;
  centre_id: string;
  kind: AlarmKind;
  door_id: string | null;
  gateway_id: string | null;
  detail: string | null;
  raised_at: Instant;
  /** When the condition ended (door closed, gateway back, clock trusted again). */
  cleared_at: Instant | null;
  acknowledged_at: Instant | null;
  acknowledged_by: string | null;
  note: string | null;
}

export type AlarmKind =
  | "held-open"
  | "forced-open"
  | "gateway-offline"
  | "clock-untrusted"
  | "bundle-rejected";

export interface DoorResourcesTable {
  door_id: string;
  resource_id: string;
}

export interface MembersTable {
  id: string;
  name: string;
  /** Lower-cased; unique. */
  email: string;
  home_centre_id: string | null;
  language: string;
  created_at: Instant;
  archived_at: Instant | null;
}

export type PassKind = "network" | "centre-membership" | "day" | "hour-credits";

export interface PassesTable {
  id: string;
  member_id: string;
  kind: PassKind;
  /** Who sold it: NULL for the network (cooperative), else the centre. Drives settlement. */
  owner_centre_id: string | null;
  /** Where it opens doors: NULL for every centre of the network. */
  valid_centre_id: string | null;
  valid_from: Instant;
  valid_to: Instant;
  /** Hour credits only: minutes bought. */
  credit_minutes: number | null;
  created_at: Instant;
  created_by: string;
  revoked_at: Instant | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

export interface BadgesTable {
  id: string;
  member_id: string;
  /** credentialHash(uid, network salt) from @passerelle/protocol; never the raw UID. */
  credential_hash: string;
  label: string;
  issued_at: Instant;
  issued_by: string;
  revoked_at: Instant | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  /** 0008: the UID's last four hex digits (upper case), to tell cards apart; NULL before. */
  uid_last4: string | null;
  /** "uid": a bare UID card; "ntag424-sun": an NTAG 424 DNA card enrolled for SUN (0010). */
  credential_kind: CredentialKind;
  /** Highest SUN read counter any gateway reported for this card; null before the first. */
  read_counter: number | null;
  /** protocol pinHash of the card's PIN (card + PIN doors); null: no PIN set. */
  pin_hash: string | null;
}

export type CredentialKind = "uid" | "ntag424-sun";

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  member_id: string | null;
  created_at: Instant;
  disabled_at: Instant | null;
}

export type StaffRole = "manager" | "coordinator";

export interface StaffRolesTable {
  id: string;
  user_id: string;
  role: StaffRole;
  /** The managed centre; NULL for a coordinator (the whole network). */
  centre_id: string | null;
  /** 1: the staff member's badges open this centre's doors even offline / past valid-until. */
  offline_access: number;
  created_at: Instant;
  created_by: string;
}

export type TokenKind = "session" | "api";

export interface AuthTokensTable {
  id: string;
  user_id: string;
  kind: TokenKind;
  /** sha256 of the token (security/secrets.ts hashToken). */
  token_hash: string;
  name: string;
  created_at: Instant;
  expires_at: Instant | null;
  revoked_at: Instant | null;
}

export type AccountLinkPurpose = "invitation" | "password-reset";

/** A single-use link to set a password (migrations/0007_account_links.ts). */
export interface AccountLinksTable {
  id: string;
  purpose: AccountLinkPurpose;
  /** sha256 of the link's token (security/secrets.ts hashToken). */
  token_hash: string;
  email: string;
  /** The login a reset is for; NULL for an invitation (the login does not exist yet). */
  user_id: string | null;
  /** The member an invitation's login will belong to, if any. */
  member_id: string | null;
  /** JSON: the staff roles an invitation grants, `{ coordinator, managerOf }`. */
  grants: string;
  created_at: Instant;
  created_by: string;
  expires_at: Instant;
  used_at: Instant | null;
}

/** A staff login's TOTP second factor (0008, docs/security.md). */
export interface SecondFactorsTable {
  user_id: string;
  /** The TOTP key sealed with AES-256-GCM (security/sealedSecret.ts); never stored plain. */
  secret: string;
  created_at: Instant;
  /** NULL while the enrolment waits for its first code. */
  enabled_at: Instant | null;
  /** The last RFC 6238 time step accepted: a code is never accepted twice. */
  last_step: number;
}

/** One single-use recovery code of a second factor: only its sha256. */
export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: Instant;
  used_at: Instant | null;
}

export interface BookingSeriesTable {
  id: string;
  resource_id: string;
  member_id: string;
  rrule: string;
  /** Local wall-clock start of the first occurrence, "YYYY-MM-DDTHH:mm", in time_zone. */
  local_start: string;
  time_zone: string;
  duration_minutes: number;
  created_at: Instant;
  created_by: string;
}

export type BookingStatus = "confirmed" | "cancelled" | "released";

export interface BookingsTable {
  id: string;
  resource_id: string;
  /** Copied from the resource: every access-rule query is per centre. */
  centre_id: string;
  member_id: string;
  series_id: string | null;
  starts_at: Instant;
  ends_at: Instant;
  status: BookingStatus;
  created_at: Instant;
  created_by: string;
  checked_in_at: Instant | null;
  /** Set on cancellation and on no-show release (by "system:no-show", reason "no-show"). */
  cancelled_at: Instant | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
}

export interface AccessEventsTable {
  id: string;
  gateway_id: string;
  seq: number;
  centre_id: string;
  /** When it happened at the door (gateway clock), epoch ms. */
  time: number;
  /** When the cloud committed it, epoch ms. */
  received_at: number;
  type: string;
  door_id: string | null;
  direction: "in" | "out" | null;
  credential_hash: string | null;
  member_id: string | null;
  decision: "granted" | "denied" | null;
  reason: string | null;
  bundle_version: number | null;
  detail: string | null;
}

export interface BundleVersionsTable {
  centre_id: string;
  version: number;
  issued_at: number;
}

/** A member's secret iCalendar feed link (0005): only the token's sha256, one live link each. */
export interface CalendarFeedsTable {
  member_id: string;
  token_hash: string;
  created_at: Instant;
}

/** One entry of the hash-chained audit log (0003, docs/audit.md); never updated or deleted. */
export interface AuditLogTable {
  /** Dense and in chain order: given by the appender under the chain-head lock. */
  id: number;
  at: Instant;
  actor: string;
  action: string;
  subject: string;
  centre_id: string | null;
  member_id: string | null;
  door_id: string | null;
  outcome: string | null;
  /** Canonical JSON text: the hash covers these exact bytes. */
  detail: string;
  prev_hash: string;
  hash: string;
}

/** The single row (id 1) naming the chain's last entry; appenders lock it to serialise. */
export interface AuditChainHeadTable {
  id: number;
  last_id: number;
  last_hash: string;
}

/** How a session ended by the presence rules (protocol's CloseReason). */
export type RuleCloseReason =
  | "exit"
  | "last-out"
  | "other-centre"
  | "inactivity"
  | "closing-time"
  | "cap";
/** How it ended as it counts: the rules' reason, or a person's correction. */
export type SessionCloseReason = RuleCloseReason | "correction";

/**
 * A presence session (0004, docs/hours.md), derived from access events and rebuilt when they
 * arrive. Its id is the id of the access event that opened it.
 */
export interface SessionsTable {
  id: string;
  member_id: string;
  centre_id: string;
  started_at: Instant;
  /** The exit, the other centre's entry, or the closing time / inactivity deadline. */
  ended_at: Instant;
  /** Its latest granted entry at the centre (0006). */
  last_seen_at: Instant;
  /**
   * Until when the presence rules may have held it open (0006): its end, or its latest entry
   * plus the inactivity limit if later (a session is decided at its deadline, even when its
   * policy gives it an earlier end). The rebuild starts where no session of the centre is held.
   */
  held_until: Instant;
  close_reason: SessionCloseReason;
  rule_close_reason: RuleCloseReason;
  /** 1 unless a no-exit rule closed it and nobody confirmed or corrected it since (0006). */
  confirmed: number;
  open_event_id: string;
  close_event_id: string | null;
  /** The centre's local date and month of the start: the day and month it counts in. */
  local_date: string;
  month: string;
  /** ended_at − started_at. */
  duration_ms: number;
  /** Duration rounded by the centre's rounding mode, in minutes. */
  computed_minutes: number;
  /** What counts: computed_minutes, or the latest correction's figure. */
  billable_minutes: number;
  /** The exact time that counts (duration, or the correction's minutes): month-total rounding. */
  effective_ms: number;
  /** The correction that set billable_minutes, if any. */
  adjustment_id: string | null;
}

/** Sums of `sessions` per month, centre and member (what the monthly reports read). */
export interface SessionTotalsTable {
  month: string;
  centre_id: string;
  member_id: string;
  session_count: number;
  billable_minutes: number;
  /** Sum of the sessions' effective_ms (0006). */
  effective_ms: number;
  /** First and last session start: settlement checks the passes over this span. */
  first_start: Instant;
  last_start: Instant;
}

export type AdjustmentKind = "correction" | "late-event" | "confirmation";

/** Append-only: a manager's correction of a session, or a late-event carry-over (flagged). */
export interface SessionAdjustmentsTable {
  id: string;
  kind: AdjustmentKind;
  session_id: string | null;
  centre_id: string;
  member_id: string;
  /** The month whose report counts it. */
  month: string;
  started_at: Instant | null;
  ended_at: Instant | null;
  /** Correction: the session's new billable minutes. Late event: the minutes carried over. */
  minutes: number;
  /** Late event: the carried minutes that settlement pays (network pass). */
  settled_minutes: number;
  /** Late event: those settled minutes in cents at the closed month's rate (0006). */
  settled_cents: number;
  /** Late event: the closed month its events belong to. */
  source_month: string | null;
  flagged: number;
  reason: string;
  actor: string;
  created_at: Instant;
}

/** A closed month: its statement frozen as canonical JSON text, and that text's sha256. */
export interface MonthClosesTable {
  month: string;
  closed_at: Instant;
  closed_by: string;
  content_hash: string;
  statement: string;
  /** JSON FrozenRules: the passes and rates the close used (0006); null for older closes. */
  frozen_rules: string | null;
}

/** Where the audit chain was cut by an archive run (0008): verify starts after `last_id`. */
export interface AuditCheckpointsTable {
  last_id: number;
  last_hash: string;
  archived_at: Instant;
  archived_by: string;
}

export type ArchiveKind = "access-events" | "audit";

/** A month of one kind that left the database, into which archive file (0008). */
export interface ArchivedMonthsTable {
  kind: ArchiveKind;
  month: string;
  file: string;
  rows: number;
  sha256: string;
  archived_at: Instant;
}

/** 0012: one running instance's presence-rebuild mark (hours/rebuildMarks.ts). */
export interface SessionRebuildMarksTable {
  instance_id: string;
  /** Events received since this instant may be committed and not yet in sessions. */
  pending_since: Instant;
  heartbeat_at: Instant;
}

export interface Database {
  settings: SettingsTable;
  centres: CentresTable;
  resources: ResourcesTable;
  gateways: GatewaysTable;
  doors: DoorsTable;
  door_resources: DoorResourcesTable;
  members: MembersTable;
  passes: PassesTable;
  badges: BadgesTable;
  users: UsersTable;
  staff_roles: StaffRolesTable;
  auth_tokens: AuthTokensTable;
  account_links: AccountLinksTable;
  second_factors: SecondFactorsTable;
  recovery_codes: RecoveryCodesTable;
  booking_series: BookingSeriesTable;
  bookings: BookingsTable;
  access_events: AccessEventsTable;
  bundle_versions: BundleVersionsTable;
  alarms: AlarmsTable;
  audit_log: AuditLogTable;
  audit_chain_head: AuditChainHeadTable;
  calendar_feeds: CalendarFeedsTable;
  sessions: SessionsTable;
  session_totals: SessionTotalsTable;
  session_adjustments: SessionAdjustmentsTable;
  month_closes: MonthClosesTable;
  audit_checkpoints: AuditCheckpointsTable;
  archived_months: ArchivedMonthsTable;
  session_rebuild_marks: SessionRebuildMarksTable;
}
