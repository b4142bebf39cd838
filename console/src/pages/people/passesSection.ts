import type { CentreView, PassView } from "@passerelle/cloud/api-types";
import type { Page } from "../../api/client.js";
import { field, input, select } from "../../components/fields.js";
import type { notice } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h, replaceChildren } from "../../dom.js";
import { formatDate, today, zonedIso } from "../../format.js";
import { t } from "../../i18n/i18n.js";
import type { PageContext } from "../../page.js";
import { actorName } from "./actorName.js";
import { confirmStep } from "./confirmStep.js";

const plusYear = (date: string) => `${Number(date.slice(0, 4)) + 1}${date.slice(4)}`;

/**
 * A member's passes, given and ended from the member page: a network pass (the coordinator's
 * to give) or a centre membership (a manager, for their centres). Ending one asks a reason
 * and a confirmation; the doors learn it with the next bundle.
 */
export async function passesSection(
  context: PageContext,
  memberId: string,
  centres: readonly CentreView[],
  messages: ReturnType<typeof notice>,
  staffNames: Map<string, string>,
): Promise<HTMLElement> {
  const base = `/members/${encodeURIComponent(memberId)}/passes`;
  const holder = h("div");
  const centreName = (id: string | null) =>
    id === null ? t("passes.network") : (centres.find((c) => c.id === id)?.name ?? id);

  async function load() {
    const page = await context.api.get<Page<PassView>>(base, { limit: 100 });
    replaceChildren(
      holder,
      dataTable(
        t("passes.caption"),
        [
          { header: t("common.kind"), cell: (p) => t(`passKind.${p.kind}`) },
          { header: t("common.centre"), cell: (p) => centreName(p.validCentreId) },
          { header: t("common.from"), cell: (p) => formatDate(p.validFrom) },
          { header: t("common.to"), cell: (p) => formatDate(p.validTo) },
          {
            header: t("people.givenBy"),
            cell: (p) => actorName(p.createdBy ?? "", staffNames),
          },
          {
            header: t("common.status"),
            cell: (p) =>
              p.revokedAt
                ? `${t("people.ended")} ${formatDate(p.revokedAt)} · ${actorName(p.revokedBy ?? "", staffNames)} · ${p.revokeReason ?? ""}`
                : Date.parse(p.validTo) < Date.now()
                  ? t("people.expired")
                  : t("badges.active"),
          },
          {
            header: t("bookings.actions"),
            cell: (p) =>
              p.revokedAt || Date.parse(p.validTo) < Date.now()
                ? ""
                : confirmStep({
                    open: t("people.endPass"),
                    confirm: t("people.confirmEnd"),
                    label: t("people.endPassNamed", { name: t(`passKind.${p.kind}`) }),
                    reasonLabel: t("badges.reason"),
                    reasonDefault: t("people.endReason"),
                    run: async (reason) => {
                      try {
                        await context.api.post(`/passes/${encodeURIComponent(p.id)}/revoke`, {
                          reason,
                        });
                        messages.ok(t("people.passEnded"));
                        await load();
                      } catch (error) {
                        messages.error(error);
                      }
                    },
                  }),
          },
        ],
        page.items,
        { "data-testid": "passes" },
      ),
    );
  }

  const mine = context.me.coordinator
    ? centres
    : centres.filter((c) => context.me.managerOf.includes(c.id));
  const kind = select(
    [
      ...(context.me.coordinator ? [{ value: "network", label: t("passKind.network") }] : []),
      { value: "centre-membership", label: t("passKind.centre-membership") },
    ],
    { name: "kind" },
  );
  const centre = select(
    mine.map((c) => ({ value: c.id, label: c.name })),
    { name: "centre" },
  );
  const centreField = field(t("common.centre"), centre);
  const showCentre = () => {
    centreField.hidden = kind.value === "network";
  };
  kind.addEventListener("change", showCentre);
  showCentre();
  const from = input({ type: "date", name: "from", value: today(), required: true });
  const to = input({ type: "date", name: "to", value: plusYear(today()), required: true });
  const give = h(
    "form",
    {
      class: "card filters",
      "aria-label": t("people.givePass"),
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const network = kind.value === "network";
        const zone =
          centres.find((c) => c.id === (network ? centres[0]?.id : centre.value))?.timeZone ??
          "Europe/Brussels";
        try {
          await context.api.post(base, {
            kind: kind.value,
            validFrom: zonedIso(from.value, "00:00", zone),
            validTo: zonedIso(to.value, "23:59", zone),
            ...(network ? {} : { validCentreId: centre.value, ownerCentreId: centre.value }),
          });
          messages.ok(t("people.passGiven"));
          await load();
        } catch (error) {
          messages.error(error);
        }
      },
    },
    field(t("common.kind"), kind),
    centreField,
    field(t("common.from"), from),
    field(t("common.to"), to),
    h("button", { type: "submit" }, t("people.givePass")),
  );
  await load();
  return h("section", {}, h("h2", {}, t("passes.title")), holder, give);
}
