import type { BadgeView } from "@passerelle/cloud/api-types";
import type { Page } from "../../api/client.js";
import { field, input } from "../../components/fields.js";
import type { notice } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h, replaceChildren } from "../../dom.js";
import { formatDateTime } from "../../format.js";
import { t } from "../../i18n/i18n.js";
import type { PageContext } from "../../page.js";
import { actorName } from "./actorName.js";
import { badgeUidPattern } from "./badgeUid.js";
import { confirmStep } from "./confirmStep.js";

/**
 * A member's badges: the UID's last four digits (the API keeps no more), who issued and who
 * revoked each, when and why; revoking asks a reason and a confirmation. A badge's UID is
 * typed (or read by a desk reader acting as a keyboard) and sent once; a secure card (NTAG 424
 * DNA) is enrolled from one SUN URL it wrote. Each badge shows its kind and whether a PIN is set.
 */
export async function badgesSection(
  context: PageContext,
  memberId: string,
  messages: ReturnType<typeof notice>,
  staffNames: Map<string, string>,
): Promise<HTMLElement> {
  const base = `/members/${encodeURIComponent(memberId)}`;
  const holder = h("div");

  async function load() {
    const page = await context.api.get<Page<BadgeView>>(`${base}/badges`, { limit: 100 });
    replaceChildren(
      holder,
      dataTable(
        t("badges.caption"),
        [
          { header: t("badges.label"), cell: (b) => b.label },
          {
            header: t("people.uidEnd"),
            cell: (b) => (b.uidLast4 ? h("code", {}, `…${b.uidLast4}`) : "—"),
          },
          { header: t("badges.kind"), cell: (b) => t(`credentialKind.${b.credentialKind}`) },
          {
            header: t("badges.pin"),
            cell: (b) => t(b.hasPin ? "badges.pinSet" : "badges.pinNone"),
          },
          {
            header: t("badges.issued"),
            cell: (b) =>
              `${formatDateTime(b.issuedAt)} · ${actorName(b.issuedBy ?? "", staffNames)}`,
          },
          {
            header: t("common.status"),
            cell: (b) =>
              b.revokedAt
                ? h(
                    "span",
                    {},
                    h("span", { class: "badge-state bad" }, t("badges.revoked")),
                    ` ${formatDateTime(b.revokedAt)} · ${actorName(b.revokedBy ?? "", staffNames)} · ${b.revokeReason ?? ""}`,
                  )
                : h("span", { class: "badge-state ok" }, t("badges.active")),
          },
          {
            header: t("bookings.actions"),
            cell: (b) =>
              b.revokedAt
                ? ""
                : confirmStep({
                    open: t("badges.revoke"),
                    confirm: t("people.confirmRevoke"),
                    label: t("badges.revokeNamed", { name: b.label }),
                    reasonLabel: t("badges.reason"),
                    reasonDefault: t("badges.lost"),
                    run: async (reason) => {
                      try {
                        await context.api.post(`/badges/${encodeURIComponent(b.id)}/revoke`, {
                          reason,
                        });
                        messages.ok(t("badges.revokedDone", { name: b.label }));
                        await load();
                      } catch (error) {
                        messages.error(error);
                      }
                    },
                  }),
          },
        ],
        page.items,
        { "data-testid": "badges" },
      ),
    );
  }

  const uid = input({
    name: "uid",
    required: true,
    autocomplete: "off",
    pattern: badgeUidPattern,
    maxlength: 96,
    inputmode: "text",
    title: t("badges.uidHint"),
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
          await load();
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
          await load();
        } catch (error) {
          messages.error(error);
        }
      },
    },
    field(t("badges.sunUrl"), sunUrl, t("badges.sunUrlHint")),
    h("button", { type: "submit" }, t("badges.enrol")),
  );
  await load();
  return h("section", {}, h("h2", {}, t("badges.title")), holder, issueForm, enrolForm);
}
