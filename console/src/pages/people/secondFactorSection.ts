import { field, input } from "../../components/fields.js";
import { notice } from "../../components/notice.js";
import { h, replaceChildren } from "../../dom.js";
import { t } from "../../i18n/i18n.js";
import type { PageContext } from "../../page.js";

interface FactorState {
  state: "none" | "pending" | "enabled";
  recoveryCodesLeft: number;
}

/**
 * Staff only: turn on an authenticator-app second factor (TOTP), or remove it. The key is shown
 * once (as an otpauth link a phone opens, and as text to type); the recovery codes once too.
 */
export function secondFactorSection(context: PageContext): HTMLElement {
  const messages = notice();
  const body = h("div");
  const section = h(
    "section",
    { class: "card", "aria-labelledby": "second-factor" },
    h("h2", { id: "second-factor" }, t("people.factorTitle")),
    body,
    messages.element,
  );

  const codeInput = (name: string) =>
    input({ name, autocomplete: "one-time-code", required: true, maxlength: 32 });

  async function show() {
    try {
      const factor = await context.api.get<FactorState>("/me/second-factor");
      if (factor.state === "enabled") showEnabled(factor);
      else showOff();
    } catch (error) {
      messages.error(error);
    }
  }

  function showOff() {
    const start = h("button", { type: "button" }, t("people.factorStart"));
    start.addEventListener("click", async () => {
      messages.clear();
      try {
        const started = await context.api.post<{ otpauthUri: string; secret: string }>(
          "/me/second-factor",
        );
        showEnrolment(started);
      } catch (error) {
        messages.error(error);
      }
    });
    replaceChildren(body, h("p", {}, t("people.factorIntro")), start);
  }

  function showEnrolment(started: { otpauthUri: string; secret: string }) {
    const code = codeInput("code");
    const form = h(
      "form",
      {
        "aria-label": t("people.factorConfirm"),
        onsubmit: async (event: Event) => {
          event.preventDefault();
          try {
            const done = await context.api.post<{ recoveryCodes: string[] }>(
              "/me/second-factor/confirm",
              { code: code.value.trim() },
            );
            showRecoveryCodes(done.recoveryCodes);
          } catch (error) {
            messages.error(error);
          }
        },
      },
      field(t("people.code"), code, t("people.codeHint")),
      h("button", { type: "submit" }, t("people.factorConfirm")),
    );
    replaceChildren(
      body,
      h("p", {}, t("people.factorScan")),
      h("p", {}, h("a", { href: started.otpauthUri }, t("people.factorOpenApp"))),
      h(
        "p",
        {},
        t("people.factorKey"),
        " ",
        h("code", { "data-testid": "totp-secret" }, started.secret),
      ),
      form,
    );
    code.focus();
  }

  function showRecoveryCodes(codes: readonly string[]) {
    const done = h("button", { type: "button" }, t("people.factorCodesSaved"));
    done.addEventListener("click", () => void show());
    replaceChildren(
      body,
      h("p", { role: "status" }, t("people.factorOn")),
      h("p", {}, t("people.factorCodesIntro")),
      h(
        "ul",
        { class: "recovery-codes", "data-testid": "recovery-codes" },
        codes.map((c) => h("li", {}, h("code", {}, c))),
      ),
      done,
    );
  }

  function showEnabled(factor: FactorState) {
    const code = codeInput("remove-code");
    const form = h(
      "form",
      {
        "aria-label": t("people.factorRemove"),
        onsubmit: async (event: Event) => {
          event.preventDefault();
          try {
            await context.api.post("/me/second-factor/remove", { code: code.value.trim() });
            messages.ok(t("people.factorRemoved"));
            await show();
          } catch (error) {
            messages.error(error);
          }
        },
      },
      field(t("people.code"), code, t("people.codeHint")),
      h("button", { type: "submit", class: "danger" }, t("people.factorRemove")),
    );
    replaceChildren(
      body,
      h("p", {}, t("people.factorEnabled", { count: factor.recoveryCodesLeft })),
      form,
    );
  }

  void show();
  return section;
}
