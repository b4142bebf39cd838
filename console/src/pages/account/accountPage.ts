import { field, input } from "../../components/fields.js";
import { notice } from "../../components/notice.js";
import { h } from "../../dom.js";
import { t } from "../../i18n/i18n.js";
import type { PageContext, PageDefinition } from "../../page.js";
import { secondFactorSection } from "../people/secondFactorSection.js";

/** Change my password; sign out of every session (a lost phone, a shared computer). */
function render(context: PageContext): Node {
  const current = input({
    type: "password",
    name: "current-password",
    autocomplete: "current-password",
    required: true,
  });
  const next = input({
    type: "password",
    name: "new-password",
    autocomplete: "new-password",
    required: true,
    minlength: 10,
    maxlength: 200,
  });
  const changeMessages = notice();
  const change = h(
    "form",
    {
      class: "card",
      "aria-labelledby": "change-password",
      onsubmit: async (event: Event) => {
        event.preventDefault();
        changeMessages.clear();
        try {
          const answer = await context.api.post<{ token: string; expiresAt: string }>(
            "/me/password",
            { currentPassword: current.value, newPassword: next.value },
          );
          context.adoptSession(answer);
          current.value = "";
          next.value = "";
          changeMessages.ok(t("me.changed"));
        } catch (error) {
          changeMessages.error(error);
        }
      },
    },
    h("h2", { id: "change-password" }, t("me.change")),
    field(t("account.currentPassword"), current),
    field(t("account.newPassword"), next, t("account.passwordHint")),
    h("button", { type: "submit" }, t("me.change")),
    changeMessages.element,
  );
  const everywhereMessages = notice();
  const everywhere = h(
    "section",
    { class: "card", "aria-labelledby": "sign-out-everywhere" },
    h("h2", { id: "sign-out-everywhere" }, t("me.everywhere")),
    h("p", {}, t("me.everywhereIntro")),
    h(
      "button",
      {
        type: "button",
        class: "danger",
        onclick: async () => {
          try {
            await context.api.post("/me/sign-out-everywhere");
            // This session ended too: the next call's 401 leads to the login page.
            await context.api.get("/me");
          } catch (error) {
            everywhereMessages.error(error);
          }
        },
      },
      t("me.everywhere"),
    ),
    everywhereMessages.element,
  );
  const staff = context.me.coordinator || context.me.managerOf.length > 0;
  return h("div", {}, change, everywhere, staff ? secondFactorSection(context) : null);
}

export const accountPage: PageDefinition = {
  path: "/account",
  title: "me.title",
  roles: ["worker", "manager", "coordinator"],
  render,
};
