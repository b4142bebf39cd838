import type { AccessEventView } from "@passerelle/cloud/api-types";
import { accessReasons } from "@passerelle/protocol/browser";
import type { Page, Query } from "../../api/client.js";
import { Directory } from "../../api/directory.js";
import { downloadFile } from "../../components/download.js";
import { button, field, input, select } from "../../components/fields.js";
import { notice } from "../../components/notice.js";
import { searchForm } from "../../components/searchForm.js";
import { dataTable } from "../../components/table.js";
import { h, replaceChildren } from "../../dom.js";
import { formatDateTime, today, zonedIso } from "../../format.js";
import { t } from "../../i18n/i18n.js";
import type { PageContext, PageDefinition } from "../../page.js";
import { centreChooser } from "../manager/centreChooser.js";
import { findMemberId } from "../people/memberLookup.js";
import { outcomeCell, reasonText } from "../shared/accessEventCells.js";

/**
 * The access log with filters (centre, member, door, outcome, reason, dates), a page at a time,
 * and the same filters as a CSV file. The filters live in the address, so a search can be
 * bookmarked or sent to a colleague.
 */
async function render(context: PageContext): Promise<Node> {
  const directory = new Directory(context.api);
  const centres = await directory.staffCentres(context.me);
  const byId = new Map(centres.map((c) => [c.id, c]));
  const initial = context.query;
  const zone = () => byId.get(centre.control.value)?.timeZone ?? "Europe/Brussels";

  const centre = centreChooser(centres, initial.get("centreId") ?? "", () => undefined, {
    all: true,
  });
  // By name or e-mail (people/memberLookup.ts); resolved to the API's id on each search.
  const member = input({ type: "search", name: "member", value: initial.get("member") ?? "" });
  let memberId: string | undefined;
  const door = input({ name: "doorId", value: initial.get("doorId") ?? "" });
  const outcome = select(
    [
      { value: "", label: t("common.all") },
      { value: "granted", label: t("outcome.granted") },
      { value: "denied", label: t("outcome.denied") },
    ],
    { name: "outcome" },
    initial.get("outcome") ?? "",
  );
  const reason = select(
    [
      { value: "", label: t("common.all") },
      ...accessReasons.map((code) => ({ value: code, label: reasonText(code) })),
    ],
    { name: "reason" },
    initial.get("reason") ?? "",
  );
  const type = select(
    [
      { value: "access", label: t("accessLog.typeAccess") },
      { value: "all", label: t("accessLog.typeAll") },
    ],
    { name: "type" },
    initial.get("type") ?? "access",
  );
  const from = input({ type: "date", name: "from", value: initial.get("from") ?? today() });
  const to = input({ type: "date", name: "to", value: initial.get("to") ?? "" });
  const messages = notice();
  const holder = h("div");
  const rows: AccessEventView[] = [];
  let cursor: string | null = null;

  const formValues = () => ({
    centreId: centre.control.value,
    member: member.value.trim(),
    doorId: door.value.trim(),
    outcome: outcome.value,
    reason: reason.value,
    type: type.value,
    from: from.value,
    to: to.value,
  });
  /** Dates are whole days in the centre's zone: from its midnight to the midnight after `to`. */
  const apiFilters = (): Query => {
    const v = formValues();
    const dayAfter = (date: string) => {
      const d = new Date(`${date}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() + 1);
      return d.toISOString().slice(0, 10);
    };
    return {
      centreId: v.centreId || undefined,
      memberId,
      doorId: v.doorId || undefined,
      outcome: v.outcome || undefined,
      reason: v.reason || undefined,
      type: v.type === "all" ? undefined : v.type,
      from: v.from ? zonedIso(v.from, "00:00", zone()) : undefined,
      to: v.to ? zonedIso(dayAfter(v.to), "00:00", zone()) : undefined,
    };
  };

  const more = button(t("common.more"), () => void load(false), { class: "secondary" });

  async function load(fresh: boolean) {
    if (fresh) {
      rows.length = 0;
      cursor = null;
    }
    try {
      if (fresh) memberId = await findMemberId(context.api, member.value);
      const page: Page<AccessEventView> = await context.api.get("/access-events", {
        ...apiFilters(),
        limit: 100,
        cursor,
      });
      rows.push(
        ...(await Promise.all(
          page.items.map(async (event) => ({
            ...event,
            doorId:
              event.doorId === null ? null : await directory.doorName(event.centreId, event.doorId),
          })),
        )),
      );
      cursor = page.nextCursor;
      more.hidden = cursor === null;
      replaceChildren(
        holder,
        dataTable(
          t("accessLog.caption", { count: rows.length }),
          [
            {
              header: t("history.when"),
              cell: (e) => formatDateTime(e.occurredAt, byId.get(e.centreId)?.timeZone),
            },
            { header: t("common.centre"), cell: (e) => byId.get(e.centreId)?.name ?? e.centreId },
            { header: t("accessLog.member"), cell: (e) => e.memberName ?? e.memberId ?? "—" },
            { header: t("accessLog.door"), cell: (e) => e.doorId ?? "" },
            {
              header: t("accessLog.direction"),
              cell: (e) => (e.direction ? t(`direction.${e.direction}`) : ""),
            },
            { header: t("accessLog.outcome"), cell: outcomeCell },
          ],
          rows,
          { "data-testid": "access-log" },
        ),
      );
    } catch (error) {
      messages.error(error);
    }
  }

  const form = searchForm(
    "/access-log",
    formValues,
    () => {
      messages.clear();
      void load(true);
    },
    centre.element,
    field(t("accessLog.member"), member, t("people.memberHint")),
    field(t("accessLog.door"), door),
    field(t("accessLog.outcome"), outcome),
    field(t("accessLog.reason"), reason),
    field(t("accessLog.type"), type),
    field(t("common.from"), from),
    field(t("common.to"), to),
    h("button", { type: "submit" }, t("common.search")),
    button(
      t("accessLog.csv"),
      async () => {
        try {
          await downloadFile(
            context.api,
            "/access-events.csv",
            apiFilters(),
            `access-log-${today()}.csv`,
          );
          messages.ok(t("accessLog.csvDone"));
        } catch (error) {
          messages.error(error);
        }
      },
      { class: "secondary" },
    ),
  );
  await load(true);
  return h("div", {}, form, messages.element, holder, more);
}

export const accessLogPage: PageDefinition = {
  path: "/access-log",
  title: "accessLog.title",
  roles: ["manager", "coordinator"],
  render,
};
