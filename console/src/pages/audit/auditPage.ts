import type { AuditEntryView, AuditPageView } from "@passerelle/cloud/api-types";
import type { Query } from "../../api/client.js";
import { Directory } from "../../api/directory.js";
import { button, field, input, select } from "../../components/fields.js";
import { notice } from "../../components/notice.js";
import { searchForm } from "../../components/searchForm.js";
import { dataTable } from "../../components/table.js";
import { h, replaceChildren } from "../../dom.js";
import { formatDateTime, networkTimeZone, today, zonedIso } from "../../format.js";
import { t } from "../../i18n/i18n.js";
import type { PageContext, PageDefinition } from "../../page.js";
import { actorText, auditActionText, codeText } from "../../words/codeWords.js";
import { centreChooser } from "../manager/centreChooser.js";
import { actionOptions, loadActors } from "./auditChoices.js";
import { auditVerifyPanel } from "./auditVerify.js";

const dayAfter = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};

/**
 * The audit log (docs/audit.md): who did what, when, filtered by centre, actor, action and
 * period, newest first, a page at a time; for the coordinator, the "verify the chain" button.
 * Actions, outcomes and actors are words; the filters live in the address.
 */
async function render(context: PageContext): Promise<Node> {
  const directory = new Directory(context.api);
  const centres = await directory.staffCentres(context.me);
  const byId = new Map(centres.map((c) => [c.id, c]));
  const actors = await loadActors(context.api, centres);
  const initial = context.query;

  const centre = centreChooser(centres, initial.get("centreId") ?? "", () => undefined, {
    all: true,
  });
  const actor = select(actors.options, { name: "actor" }, initial.get("actor") ?? "");
  const action = select(
    [{ value: "", label: t("common.all") }, ...actionOptions()],
    { name: "action" },
    initial.get("action") ?? "",
  );
  const from = input({ type: "date", name: "from", value: initial.get("from") ?? "" });
  const to = input({ type: "date", name: "to", value: initial.get("to") ?? today() });
  const zone = () => byId.get(centre.control.value)?.timeZone ?? networkTimeZone;
  const messages = notice();
  const holder = h("div");
  const rows: (AuditEntryView & { memberName: string | null; doorName: string | null })[] = [];
  let cursor: string | null = null;

  const formValues = () => ({
    centreId: centre.control.value,
    actor: actor.value,
    action: action.value,
    from: from.value,
    to: to.value,
  });
  /** Dates are whole days in the centre's zone (the network's for every centre). */
  const apiFilters = (): Query => {
    const v = formValues();
    return {
      centreId: v.centreId || undefined,
      actor: v.actor || undefined,
      action: v.action || undefined,
      from: v.from ? zonedIso(v.from, "00:00", zone()) : undefined,
      to: v.to ? zonedIso(dayAfter(v.to), "00:00", zone()) : undefined,
    };
  };
  const more = button(t("common.more"), () => void load(false), { class: "secondary" });

  const what = (e: AuditEntryView) => {
    const outcome = e.outcome ? codeText("auditOutcome", e.outcome) : "";
    const reason = typeof e.detail.reason === "string" ? codeText("reason", e.detail.reason) : "";
    return [
      auditActionText(e.action),
      outcome && `(${[outcome, reason].filter(Boolean).join(", ")})`,
    ]
      .filter(Boolean)
      .join(" ");
  };

  async function load(fresh: boolean) {
    if (fresh) {
      rows.length = 0;
      cursor = null;
    }
    try {
      const page = await context.api.get<AuditPageView>("/audit", {
        ...apiFilters(),
        limit: 50,
        cursor,
      });
      rows.push(
        ...(await Promise.all(
          page.items.map(async (e) => ({
            ...e,
            memberName: e.memberId === null ? null : await directory.memberName(e.memberId),
            doorName:
              e.doorId === null || e.centreId === null
                ? e.doorId
                : await directory.doorName(e.centreId, e.doorId),
          })),
        )),
      );
      cursor = page.nextCursor;
      more.hidden = cursor === null;
      replaceChildren(
        holder,
        dataTable(
          t("audit.caption", { count: rows.length }),
          [
            {
              header: t("history.when"),
              cell: (e) =>
                formatDateTime(
                  e.at,
                  (e.centreId && byId.get(e.centreId)?.timeZone) || networkTimeZone,
                ),
            },
            { header: t("audit.actor"), cell: (e) => actorText(e.actor, actors.people) },
            { header: t("audit.action"), cell: what },
            {
              header: t("common.centre"),
              cell: (e) =>
                e.centreId ? (byId.get(e.centreId)?.name ?? e.centreId) : t("audit.network"),
            },
            {
              header: t("audit.concerns"),
              cell: (e) => [e.memberName, e.doorName].filter(Boolean).join(" · ") || "—",
            },
            { header: t("audit.position"), cell: (e) => `#${e.id}`, numeric: true },
          ],
          rows,
          { "data-testid": "audit-log" },
        ),
      );
    } catch (error) {
      messages.error(error);
    }
  }

  const form = searchForm(
    "/audit",
    formValues,
    () => {
      messages.clear();
      void load(true);
    },
    centre.element,
    field(t("audit.actor"), actor),
    field(t("audit.action"), action),
    field(t("common.from"), from),
    field(t("common.to"), to),
    h("button", { type: "submit" }, t("common.search")),
  );
  await load(true);
  return h(
    "div",
    {},
    h("p", { class: "hint" }, t("audit.intro")),
    context.me.coordinator ? auditVerifyPanel(context.api) : null,
    form,
    messages.element,
    holder,
    more,
  );
}

export const auditPage: PageDefinition = {
  path: "/audit",
  title: "audit.title",
  roles: ["manager", "coordinator"],
  render,
};
