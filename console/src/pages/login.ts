import { ApiError } from "../api/apiError.js";
import { field, input } from "../components/fields.js";
import { notice } from "../components/notice.js";
import { h } from "../dom.js";
import { t } from "../i18n/i18n.js";
import type { Session } from "../session.js";

/** E-mail and password; a wrong pair is one message (the server does not say which was wrong). */
export function loginPage(session: Session, loggedIn: () => void): HTMLElement {
  const email = input({ type: "email", name: "email", autocomplete: "username", required: true });
  const password = input({
    type: "password",
    name: "password",
    autocomplete: "current-password",
    required: true,
  });
  // Shown once the server says this login has a second factor (docs/security.md).
  const code = input({
    name: "code",
    autocomplete: "one-time-code",
    inputmode: "numeric",
    maxlength: 32,
  });
  const codeField = field(t("people.code"), code, t("people.codeHint"));
  codeField.hidden = true;
  const messages = notice();
  const submit = h("button", { type: "submit" }, t("login.submit"));
  const form = h(
    "form",
    {
      class: "card login",
      onsubmit: async (event: Event) => {
        event.preventDefault();
        submit.disabled = true;
        messages.clear();
        try {
          await session.login(email.value.trim(), password.value, code.value.trim());
          loggedIn();
        } catch (error) {
          const status = error instanceof ApiError ? error.status : 0;
          const codeProblem =
            error instanceof ApiError
              ? error.fields.find((f) => f.field === "body/code")
              : undefined;
          if (codeProblem !== undefined) {
            codeField.hidden = false;
            messages.error(
              codeProblem.message === "required" ? t("people.codeAsked") : t("people.codeWrong"),
            );
            code.value = "";
            code.focus();
            return;
          }
          messages.error(
            status === 401 ? t("login.failed") : status === 429 ? t("login.tooMany") : error,
          );
          password.select();
        } finally {
          submit.disabled = false;
        }
      },
    },
    h("p", {}, t("login.intro")),
    field(t("login.email"), email),
    field(t("login.password"), password),
    codeField,
    submit,
    messages.element,
    h("p", {}, h("a", { href: "/forgot-password", "data-link": true }, t("login.forgot"))),
  );
  return form;
}
