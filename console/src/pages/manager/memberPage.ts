import type { BadgeView, MemberView, PassView } from "@passerelle/cloud/api-types";
import type { Page } from "../../api/client.js";
import { Directory } from "../../api/directory.js";
import { field, input } from "../../components/fields.js";
import { describeError, notice } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h, replaceChildren } from "../../dom.js";
import { formatDateTime } from "../../format.js";
import { t } from "../../i18n/i18n.js";
import type { PageContext, PageDefinition } from "../../page.js";
import { sessionsSection } from "./sessionsSection.js";

const listOf = <T>(answer: Page<T> | T[]): T[] => (Array.isArray(answer) ? answer : answer.items);

/**
 * One member: their passes, and their badges (kind, PIN set or not) with issue, enrolment and
 * revoke. A badge's UID is typed (or read by a desk reader acting as a keyboard) and sent once;
 * the API keeps only its hash. A secure card is enrolled from one SUN URL it wrote.
 */
async function render(context: PageContext): Promise<Node> {
  const memberId = context.params.memberId ?? "";
  const base = `/members/${encodeURIComponent(memberId)}`;
  const member = await context.api.get<MemberView>(base);
  const messages = notice();
  const badgesHolder = h("div");
  const passesHolder = h("div");

  async function loadBadges() {
    const badges = listOf(await context.api.get<Page<BadgeView> | BadgeView[]>(`${base}/badges`));
    replaceChildren(
      badgesHolder,
      dataTable(
        t("badges.caption"),
        [
          { header: t("badges.label"), cell: (b) => b.label },
          { header: t("badges.kind"), cell: (b) => t(`credentialKind.${b.credentialKind}`) },
          {
            header: t("badges.pin"),
            cell: (b) => t(b.hasPin ? "badges.pinSet" : "badges.pinNone"),
          },
          {
            header: t("badges.issued"),
            cell: (b) => formatDateTime(b.issuedAt),
          },
          {
            header: t("common.status"),
            cell: (b) =>
              b.revokedAt
                ? h("span", { class: "badge-state bad" }, t("badges.revoked"))
                : h("span", { class: "badge-state ok" }, t("badges.active")),
          },
          {
            header: t("bookings.actions"),
            cell: (b) => (b.revokedAt ? "" : revokeControl(b)),
          },
        ],
        badges,
        { "data-testid": "badges" },
      ),
    );
  }

  function revokeControl(badge: BadgeView): HTMLElement {
    const reason = input({
      name: "reason",
      required: true,
      maxlength: 200,
      value: t("badges.lost"),
    });
    const label = badge.label;
    return h(
      "form",
      {
        class: "form-row",
        "aria-label": t("badges.revokeNamed", { name: label }),
        onsubmit: async (event: Event) => {
          event.preventDefault();
          try {
            await context.api.post(`/badges/${encodeURIComponent(badge.id)}/revoke`, {
              reason: reason.value.trim(),
            });
            messages.ok(t("badges.revokedDone", { name: label }));
            await loadBadges();
          } catch (error) {
            messages.error(error);
          }
        },
      },
      field(t("badges.reason"), reason),
      h("button", { type: "submit", class: "danger" }, t("badges.revoke")),
    );
  }

  async function loadPasses() {
    try {
      const passes = listOf(await context.api.get<Page<PassView> | PassView[]>(`${base}/passes`));
      replaceChildren(
        passesHolder,
        dataTable(
          t("passes.caption"),
          [
            { header: t("common.kind"), cell: (p) => t(`passKind.${p.kind}`) },
            { header: t("common.centre"), cell: (p) => p.validCentreId ?? t("passes.network") },
            { header: t("common.from"), cell: (p) => formatDateTime(p.validFrom) },
            { header: t("common.to"), cell: (p) => formatDateTime(p.validTo) },
            {
              header: t("common.status"),
              cell: (p) => (p.revokedAt ? t("badges.revoked") : t("badges.active")),
            },
          ],
          passes,
        ),
      );
    } catch (error) {
      replaceChildren(passesHolder, h("p", { class: "hint" }, describeError(error)));
    }
  }

  const uid = input({
    name: "uid",
    required: true,
    autocomplete: "off",
    pattern: "[0-9A-Fa-f:\\s-]{4,64}",
    inputmode: "text",
  });
  const label = input({ name: "label", maxlength: 100 });
  const issueForm = h(
    "form",
    {
      class: "card filters",
      "aria-label": t("badges.issue"),
      onsubmit: async (event: Event) => {
        event.preventDefault();
        try {
          await context.api.post(`${base}/badges`, {
            uid: uid.value.trim(),
            ...(label.value.trim() ? { label: label.value.trim() } : {}),
          });
          uid.value = "";
          label.value = "";
          messages.ok(t("badges.issued.done"));
          await loadBadges();
        } catch (error) {
          messages.error(error);
        }
      },
    },
    field(t("badges.uid"), uid, t("badges.uidHint")),
    field(t("badges.label"), label),
    h("button", { type: "submit" }, t("badges.issue")),
  );

  // An NTAG 424 DNA card: one SUN URL it wrote, verified by the cloud (docs/hardware.md).
  const sunUrl = input({ name: "sunUrl", required: true, autocomplete: "off", maxlength: 512 });
  const enrolForm = h(
    "form",
    {
      class: "card filters",
      "aria-label": t("badges.enrol"),
      onsubmit: async (event: Event) => {
        event.preventDefault();
        try {
          await context.api.post(`${base}/badges/secure-card`, { sunUrl: sunUrl.value.trim() });
          sunUrl.value = "";
          messages.ok(t("badges.enrolled"));
          await loadBadges();
        } catch (error) {
          messages.error(error);
        }
      },
    },
    field(t("badges.sunUrl"), sunUrl, t("badges.sunUrlHint")),
    h("button", { type: "submit" }, t("badges.enrol")),
  );

  await Promise.all([loadBadges(), loadPasses()]);
  const sessions = await sessionsSection(context.api, new Directory(context.api), memberId);
  return h(
    "div",
    {},
    h("p", { class: "subtitle" }, member.name, member.email ? ` · ${member.email}` : ""),
    messages.element,
    h("h2", {}, t("badges.title")),
    badgesHolder,
    issueForm,
    enrolForm,
    h("h2", {}, t("passes.title")),
    passesHolder,
    sessions,
    h(
      "p",
      { class: "form-row" },
      h(
        "a",
        {
          href: `/access-log?memberId=${encodeURIComponent(member.id)}&from=`,
          "data-link": true,
        },
        t("members.accessLog"),
      ),
      h("a", { href: "/members", "data-link": true }, t("members.back")),
    ),
  );
}

export const memberPage: PageDefinition = {
  path: "/members/:memberId",
  title: "members.one",
  roles: ["manager", "coordinator"],
  render,
};
