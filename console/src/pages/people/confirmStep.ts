import { h } from "../../dom.js";
import { t } from "../../i18n/i18n.js";

/**
 * A destructive action in two steps: the first button opens a small form (a reason and a
 * "confirm" button); nothing is sent before the second click. Escape or "cancel" closes it.
 */
export function confirmStep(options: {
  open: string;
  confirm: string;
  label: string;
  reasonLabel: string;
  reasonDefault: string;
  run(reason: string): Promise<void>;
}): HTMLElement {
  const holder = h("div", { class: "confirm-step" });
  const opener = h("button", { type: "button", class: "danger" }, options.open);
  const reason = h("input", {
    type: "text",
    name: "reason",
    required: true,
    maxlength: 200,
    value: options.reasonDefault,
    "aria-label": options.reasonLabel,
  });
  const cancel = h("button", { type: "button", class: "secondary" }, t("common.cancel"));
  const form = h(
    "form",
    {
      class: "form-row",
      hidden: true,
      "aria-label": options.label,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        await options.run(reason.value.trim());
      },
    },
    h("p", { class: "hint" }, t("people.confirmQuestion")),
    reason,
    h("button", { type: "submit", class: "danger" }, options.confirm),
    cancel,
  );
  const close = () => {
    form.hidden = true;
    opener.hidden = false;
    opener.focus();
  };
  opener.addEventListener("click", () => {
    opener.hidden = true;
    form.hidden = false;
    reason.select();
  });
  cancel.addEventListener("click", close);
  form.addEventListener("keydown", (event) => {
    if ((event as KeyboardEvent).key === "Escape") close();
  });
  holder.append(opener, form);
  return holder;
}
