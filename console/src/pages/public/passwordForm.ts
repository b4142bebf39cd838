import { field, input } from "../../components/fields.js";
import { notice } from "../../components/notice.js";
import { h } from "../../dom.js";
import { t } from "../../i18n/i18n.js";

/**
 * A new-password form for a link's token (invitation or reset): one field, the server's rules
 * in the hint, the server's own message when the link is refused (used, expired, forged).
 */
export function newPasswordForm(options: {
  intro: string;
  submitLabel: string;
  token: string | null;
  submit(token: string, password: string): Promise<string>;
}): HTMLElement {
  const messages = notice();
  if (!options.token) {
    messages.error(t("account.noToken"));
    return h("div", { class: "card login" }, messages.element, loginLink());
  }
  const token = options.token;
  const password = input({
    type: "password",
    name: "new-password",
    autocomplete: "new-password",
    required: true,
    minlength: 10,
    maxlength: 200,
  });
  const submit = h("button", { type: "submit" }, options.submitLabel);
  const after = h("div", {});
  const form = h(
    "form",
    {
      class: "card login",
      onsubmit: async (event: Event) => {
        event.preventDefault();
        submit.disabled = true;
        messages.clear();
        try {
          messages.ok(await options.submit(token, password.value));
          password.value = "";
          form.querySelector(".field")?.remove();
          submit.remove();
          after.append(loginLink());
        } catch (error) {
          messages.error(error);
          submit.disabled = false;
        }
      },
    },
    h("p", {}, options.intro),
    field(t("account.newPassword"), password, t("account.passwordHint")),
    submit,
    messages.element,
    after,
  );
  return form;
}

export function loginLink(): HTMLElement {
  return h("p", {}, h("a", { href: "/login", "data-link": true }, t("account.toLogin")));
}
