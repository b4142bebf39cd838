import { type Child, h } from "../dom.js";

/**
 * A list page's filter form: on submit the non-empty filters go into the page's address (so a
 * reload or a shared link shows the same list) and the list is searched again from its first
 * page. The fields and buttons are the caller's.
 */
export function searchForm(
  path: string,
  values: () => Record<string, string>,
  search: () => void,
  ...children: Child[]
): HTMLElement {
  return h(
    "form",
    {
      class: "card filters",
      role: "search",
      onsubmit: (event: Event) => {
        event.preventDefault();
        const params = new URLSearchParams(
          Object.entries(values()).filter(([, value]) => value !== ""),
        ).toString();
        history.replaceState(null, "", `${path}${params ? `?${params}` : ""}`);
        search();
      },
    },
    ...children,
  );
}
