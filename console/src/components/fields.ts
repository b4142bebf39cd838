import { type Attrs, type Child, h, uid } from "../dom.js";
import { t } from "../i18n/i18n.js";

/** A labelled control: the label is bound to the control by id (WCAG 1.3.1, 4.1.2). */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || uid();
  control.id = id;
  const hintId = hint ? `${id}-hint` : undefined;
  if (hintId) control.setAttribute("aria-describedby", hintId);
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    control,
    hint ? h("small", { id: hintId ?? null, class: "hint" }, hint) : null,
  );
}

export function input(attrs: Attrs = {}): HTMLInputElement {
  return h("input", { type: "text", ...attrs });
}

export interface Option {
  value: string;
  label: string;
}

export function select(
  options: readonly Option[],
  attrs: Attrs = {},
  selected = "",
): HTMLSelectElement {
  return h(
    "select",
    attrs,
    options.map((option) =>
      h("option", { value: option.value, selected: option.value === selected }, option.label),
    ),
  );
}

export function button(label: string, onclick: () => void, attrs: Attrs = {}): HTMLButtonElement {
  return h("button", { type: "button", ...attrs, onclick: () => onclick() }, label);
}

/**
 * A filter bar: its fields and a search button; submitting runs `search` in place (no page
 * load). `attrs` adds to the form's own (a `role` or an `aria-label`).
 */
export function searchForm(search: () => void, attrs: Attrs, ...fields: Child[]): HTMLFormElement {
  return h(
    "form",
    {
      ...attrs,
      class: "card filters",
      onsubmit: (event: Event) => {
        event.preventDefault();
        search();
      },
    },
    ...fields,
    h("button", { type: "submit" }, t("common.search")),
  );
}
