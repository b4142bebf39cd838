import type { InvitationView, StaffView } from "@passerelle/cloud/api-types";
import { Directory } from "../../api/directory.js";
import { field, input, select } from "../../components/fields.js";
import { notice } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h, replaceChildren } from "../../dom.js";
import { formatDateTime } from "../../format.js";
import { t } from "../../i18n/i18n.js";
import type { PageContext, PageDefinition } from "../../page.js";
import { inviteForm } from "./inviteForm.js";

const roleLabel = (role: string) =>
  role === "coordinator"
    ? t("staff.role.coordinator")
    : role === "manager"
      ? t("staff.role.manager")
      : t("staff.role.member");

/** Invitations, the team of my centres (roles, disable) and giving a role to an existing login. */
async function render(context: PageContext): Promise<Node> {
  const { api, me } = context;
  const directory = new Directory(api);
  const centres = await directory.staffCentres(me);
  const centreName = (id: string | null) =>
    id === null ? t("staff.network") : (centres.find((c) => c.id === id)?.name ?? id);
  const messages = notice();
  const pending = h("div");
  const team = h("div");

  async function act(work: () => Promise<unknown>, done = t("staff.done")) {
    messages.clear();
    try {
      await work();
      messages.ok(done);
      await load();
    } catch (error) {
      messages.error(error);
    }
  }

  async function load() {
    const [invitations, staff] = await Promise.all([
      api.get<InvitationView[]>("/invitations"),
      api.get<StaffView[]>("/staff"),
    ]);
    replaceChildren(
      pending,
      dataTable(
        t("staff.pending"),
        [
          { header: t("common.email"), cell: (i: InvitationView) => i.email },
          { header: t("staff.role"), cell: (i) => roleLabel(i.role) },
          {
            header: t("staff.centres"),
            cell: (i) => i.centreIds.map(centreName).join(", ") || t("common.none"),
          },
          { header: t("staff.expires"), cell: (i) => formatDateTime(i.expiresAt) },
        ],
        invitations,
      ),
    );
    replaceChildren(
      team,
      dataTable(
        t("staff.list"),
        [
          { header: t("common.email"), cell: (s: StaffView) => s.email },
          {
            header: t("staff.roles"),
            cell: (s) =>
              h(
                "ul",
                { class: "plain" },
                s.roles.map((r) =>
                  h(
                    "li",
                    {},
                    `${roleLabel(r.role)} — ${centreName(r.centreId)} `,
                    r.role === "manager" &&
                      (me.coordinator || me.managerOf.includes(r.centreId ?? ""))
                      ? h(
                          "button",
                          {
                            type: "button",
                            class: "secondary",
                            "aria-label": t("staff.removeRoleOf", {
                              role: roleLabel(r.role),
                              email: s.email,
                            }),
                            onclick: () =>
                              act(() => api.delete(`/staff/roles/${encodeURIComponent(r.id)}`)),
                          },
                          t("staff.removeRole"),
                        )
                      : null,
                  ),
                ),
              ),
          },
          {
            header: t("staff.account"),
            cell: (s) => (s.disabled ? t("staff.disabled") : t("staff.active")),
          },
          {
            header: t("common.status"),
            cell: (s) =>
              s.userId === me.userId
                ? t("common.none")
                : h(
                    "button",
                    {
                      type: "button",
                      class: s.disabled ? "secondary" : "danger",
                      "aria-label": t(s.disabled ? "staff.enableOf" : "staff.disableOf", {
                        email: s.email,
                      }),
                      onclick: () =>
                        act(() =>
                          api.post(
                            `/users/${encodeURIComponent(s.userId)}/${s.disabled ? "enable" : "disable"}`,
                          ),
                        ),
                    },
                    s.disabled ? t("staff.enable") : t("staff.disable"),
                  ),
          },
        ],
        staff,
      ),
    );
  }

  const grantEmail = input({
    type: "email",
    name: "grant-email",
    required: true,
    autocomplete: "off",
  });
  const grantRole = select(
    [
      { value: "manager", label: t("staff.role.manager") },
      ...(me.coordinator ? [{ value: "coordinator", label: t("staff.role.coordinator") }] : []),
    ],
    { name: "grant-role" },
    "manager",
  );
  const grantCentre = select(
    centres.map((c) => ({ value: c.id, label: c.name })),
    { name: "grant-centre" },
    centres[0]?.id ?? "",
  );
  const grant = h(
    "form",
    {
      class: "card",
      "aria-labelledby": "grant-heading",
      onsubmit: (event: Event) => {
        event.preventDefault();
        void act(
          () =>
            api.post("/staff/roles", {
              email: grantEmail.value.trim(),
              role: grantRole.value,
              ...(grantRole.value === "manager" ? { centreId: grantCentre.value } : {}),
            }),
          t("staff.grantDone"),
        );
      },
    },
    h("h2", { id: "grant-heading" }, t("staff.grant")),
    field(t("common.email"), grantEmail),
    field(t("staff.role"), grantRole),
    field(t("common.centre"), grantCentre),
    h("button", { type: "submit" }, t("staff.grant")),
  );

  await load();
  return h(
    "div",
    {},
    inviteForm(api, centres, me.coordinator, () => void load().catch(messages.error)),
    messages.element,
    pending,
    team,
    grant,
  );
}

export const staffPage: PageDefinition = {
  path: "/staff",
  title: "staff.title",
  roles: ["manager", "coordinator"],
  render,
};
