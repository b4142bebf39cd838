import type { ApiClient } from "../../api/client.js";
import { field, input } from "../../components/fields.js";
import { notice } from "../../components/notice.js";
import { h } from "../../dom.js";
import type { MessageKey } from "../../i18n/fr.js";
import { t } from "../../i18n/i18n.js";
import { loginLink, newPasswordForm } from "./passwordForm.js";

/** A page anyone may open without logging in: the links of invitation and reset e-mails. */
export interface PublicPage {
  readonly title: MessageKey;
  render(api: ApiClient, query: URLSearchParams): HTMLElement;
}

const acceptInvitation: PublicPage = {
  title: "accept.title",
  render: (api, query) =>
    newPasswordForm({
      intro: t("accept.intro"),
      submitLabel: t("accept.title"),
      token: query.get("token"),
      submit: async (token, password) => {
        const { email } = await api.post<{ email: string }>("/invitations/accept", {
          token,
          password,
        });
        return t("accept.done", { email });
      },
    }),
};

const resetPassword: PublicPage = {
  title: "reset.title",
  render: (api, query) =>
    newPasswordForm({
      intro: t("account.passwordHint"),
      submitLabel: t("reset.submit"),
      token: query.get("token"),
      submit: async (token, password) => {
        const { email } = await api.post<{ email: string }>("/auth/password-reset/confirm", {
          token,
          password,
        });
        return t("reset.done", { email });
      },
    }),
};

const forgotPassword: PublicPage = {
  title: "forgot.title",
  render: (api) => {
    const email = input({ type: "email", name: "email", autocomplete: "username", required: true });
    const messages = notice();
    const submit = h("button", { type: "submit" }, t("forgot.submit"));
    return h(
      "form",
      {
        class: "card login",
        onsubmit: async (event: Event) => {
          event.preventDefault();
          submit.disabled = true;
          messages.clear();
          try {
            await api.post("/auth/password-reset", { email: email.value.trim() });
            messages.ok(t("forgot.sent"));
          } catch (error) {
            messages.error(error);
          } finally {
            submit.disabled = false;
          }
        },
      },
      h("p", {}, t("forgot.intro")),
      field(t("login.email"), email),
      submit,
      messages.element,
      loginLink(),
    );
  },
};

/** By path; main.ts draws these before asking for a login. */
export const publicPages: Readonly<Record<string, PublicPage>> = {
  "/accept-invitation": acceptInvitation,
  "/reset-password": resetPassword,
  "/forgot-password": forgotPassword,
};
