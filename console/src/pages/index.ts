import type { PageDefinition } from "../page.js";
import { accountPage } from "./account/accountPage.js";
import { auditPage } from "./audit/auditPage.js";
import { monthsPage } from "./coordinator/monthsPage.js";
import { reportsPage } from "./coordinator/reportsPage.js";
import { alarmsPage } from "./manager/alarmsPage.js";
import { boardOverviewPage } from "./manager/boardOverviewPage.js";
import { boardPage } from "./manager/boardPage.js";
import { doorsPage } from "./manager/doorsPage.js";
import { memberPage } from "./manager/memberPage.js";
import { membersPage } from "./manager/membersPage.js";
import { resourcesPage } from "./manager/resourcesPage.js";
import { accessLogPage } from "./staff/accessLogPage.js";
import { staffPage } from "./staff/staffPage.js";
import { bookPage } from "./worker/bookPage.js";
import { calendarPage } from "./worker/calendarPage.js";
import { myBookingsPage } from "./worker/myBookingsPage.js";
import { myHistoryPage } from "./worker/myHistoryPage.js";
import { myHoursPage } from "./worker/myHoursPage.js";

/** Every page of the console, with the roles that may open it. */
export const pages: readonly PageDefinition[] = [
  bookPage,
  myBookingsPage,
  myHoursPage,
  myHistoryPage,
  calendarPage,
  boardOverviewPage,
  boardPage,
  resourcesPage,
  doorsPage,
  alarmsPage,
  membersPage,
  memberPage,
  accessLogPage,
  reportsPage,
  monthsPage,
  staffPage,
  accountPage,
  auditPage,
];
