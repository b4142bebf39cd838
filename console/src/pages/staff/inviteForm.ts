import type { CentreView, CreatedInvitationView, MemberView } from "@passerelle/cloud/api-types";
import type { ApiClient, Page } from "../../api/client.js";
import { field, input, select } from "../../components/fields.js";
import { notice } from "../../components/notice.js";
import { h, replaceChildren, uid } from "../../dom.js";
import { t } from "../../i18n/i18n.js";

/**
 * Invite a manager (for one or more of my centres), a coordinator (coordinators only) or a
 * member of my centres. The link is shown once with a copy button: a network without an SMTP
 * relay passes it on by hand.
 */
export function inviteForm(
  api: ApiClient,
  centres: readonly CentreView[],
  coordinator: boolean,
  invited: () => void,
): HTMLElement {
  const roles = [
    { value: "manager", label: t("staff.role.manager") },
    ...(coordinator ? [{ value: "coordinator", label: t("staff.role.coordinator") }] : []),
    { value: "member", label: t("staff.role.member") },
  ];
  const role = select(roles, { name: "role" }, "manager");
  const email = input({ type: "email", name: "invite-email", required: true, autocomplete: "off" });
  const boxes = centres.map((centre, i) =>
    input({
      type: "checkbox",
      name: "centre",
      value: centre.id,
      checked: i === 0 && centres.length === 1,
    }),
  );
  const legendId = uid();
  const centreSet = h(
    "fieldset",
    { class: "field", "aria-labelledby": legendId },
    h("legend", { id: legendId }, t("staff.centres")),
    centres.map((centre, i) => {
      const box = boxes[i] as HTMLInputElement;
      box.id = uid();
      return h("div", { class: "check" }, box, h("label", { for: box.id }, centre.name));
    }),
  );
  const showCentres = () => {
    centreSet.hidden = role.value !== "manager";
  };
  role.addEventListener("change", showCentres);
  const messages = notice();
  const result = h("div", { class: "invite-link" });
  const submit = h("button", { type: "submit" }, t("staff.send"));

  async function memberIdByEmail(address: string): Promise<string> {
    const page = await api.get<Page<MemberView>>("/members", { q: address, limit: 20 });
    const found = page.items.find((m) => m.email.toLowerCase() === address.toLowerCase());
    if (!found) throw t("error.notFound");
    return found.id;
  }

  const form = h(
    "form",
    {
      class: "card",
      "aria-labelledby": "invite-heading",
      onsubmit: async (event: Event) => {
        event.preventDefault();
        messages.clear();
        replaceChildren(result);
        submit.disabled = true;
        try {
          const address = email.value.trim();
          const body =
            role.value === "member"
              ? { role: "member", memberId: await memberIdByEmail(address) }
              : role.value === "manager"
                ? {
                    role: "manager",
                    email: address,
                    centreIds: boxes.filter((b) => b.checked).map((b) => b.value),
                  }
                : { role: "coordinator", email: address };
          const made = await api.post<CreatedInvitationView>("/invitations", body);
          messages.ok(
            made.emailed
              ? t("staff.emailed", { email: made.email })
              : t("staff.notEmailed", { email: made.email }),
          );
          const link = input({
            type: "text",
            readonly: true,
            value: made.link,
            name: "invite-link",
          });
          const copied = h("span", { role: "status", class: "hint" });
          replaceChildren(
            result,
            field(t("staff.link"), link),
            h(
              "button",
              {
                type: "button",
                class: "secondary",
                onclick: async () => {
                  link.select();
                  try {
                    await navigator.clipboard.writeText(made.link);
                  } catch {
                    document.execCommand("copy");
                  }
                  copied.textContent = t("staff.copied");
                },
              },
              t("staff.copy"),
            ),
            copied,
          );
          email.value = "";
          invited();
        } catch (error) {
          messages.error(error);
        } finally {
          submit.disabled = false;
        }
      },
    },
    h("h2", { id: "invite-heading" }, t("staff.invite")),
    field(t("staff.role"), role),
    field(t("common.email"), email),
    centreSet,
    submit,
    messages.element,
    result,
  );
  showCentres();
  return form;
}
