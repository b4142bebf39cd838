import type { Migration, MigrationProvider } from "kysely";
import * as initial from "./0001_initial.js";
import * as accessEvents from "./0002_access_events.js";
import * as auditLog from "./0003_audit_log.js";
import * as presenceSessions from "./0004_presence_sessions.js";
import * as calendarFeeds from "./0005_calendar_feeds.js";
import * as presenceRules from "./0006_presence_rules.js";
import * as accountLinks from "./0007_account_links.js";
import * as archiveCheckpoints from "./0008_archive_checkpoints.js";
import * as staffFactors from "./0009_staff_factors.js";
import * as secureCards from "./0010_secure_cards.js";
import * as doorOperations from "./0011_door_operations.js";
import * as rebuildMarks from "./0012_rebuild_marks.js";

/**
 * Every migration, by name, in order. An explicit list instead of kysely's
 * FileMigrationProvider: it works the same from TypeScript sources (tsx, vitest) and from the
 * compiled dist/, and a bundler cannot drop a file it does not know is needed.
 * To add one: create `000N_what.ts` next to this file and append it here.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  "0001_initial": initial,
  "0002_access_events": accessEvents,
  "0003_audit_log": auditLog,
  "0004_presence_sessions": presenceSessions,
  "0005_calendar_feeds": calendarFeeds,
  "0006_presence_rules": presenceRules,
  "0007_account_links": accountLinks,
  "0008_archive_checkpoints": archiveCheckpoints,
  "0009_staff_factors": staffFactors,
  "0010_secure_cards": secureCards,
  "0011_door_operations": doorOperations,
  "0012_rebuild_marks": rebuildMarks,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...migrations }),
};
