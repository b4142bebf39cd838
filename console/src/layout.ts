import { h } from "./dom.js";
import type { MessageKey } from "./i18n/fr.js";
import { type Language, language, languageNames, languages, setLanguage, t } from "./i18n/i18n.js";
import { type Me, type Role, rolesOf } from "./session.js";

interface NavLink {
  path: string;
  label: MessageKey;
}

/** Each role's part of the menu; someone holding several roles sees several parts. */
const navByRole: Record<Role, { heading: MessageKey; links: NavLink[] }> = {
  worker: {
    heading: "nav.worker",
    links: [
      { path: "/book", label: "nav.book" },
      { path: "/bookings", label: "nav.bookings" },
      { path: "/hours", label: "nav.hours" },
      { path: "/history", label: "nav.history" },
      { path: "/calendar", label: "nav.calendar" },
      { path: "/account", label: "nav.account" },
    ],
  },
  manager: {
    heading: "nav.manager",
    links: [
      { path: "/board", label: "nav.board" },
      { path: "/resources", label: "nav.resources" },
      { path: "/doors", label: "nav.doors" },
      { path: "/members", label: "nav.members" },
      { path: "/access-log", label: "nav.accessLog" },
      { path: "/reports", label: "nav.reports" },
      { path: "/audit", label: "nav.audit" },
      { path: "/staff", label: "nav.staff" },
      { path: "/account", label: "nav.account" },
    ],
  },
  coordinator: {
    heading: "nav.coordinator",
    links: [
      { path: "/board", label: "nav.board" },
      { path: "/doors", label: "nav.doors" },
      { path: "/access-log", label: "nav.accessLog" },
      { path: "/reports", label: "nav.reports" },
      { path: "/months", label: "nav.months" },
      { path: "/audit", label: "nav.audit" },
      { path: "/staff", label: "nav.staff" },
      { path: "/account", label: "nav.account" },
    ],
  },
};

export function homePath(me: Me): string {
  const roles = rolesOf(me);
  // A manager lands on their centre's board; a coordinator on the network's, with its total.
  if (roles.includes("manager") || roles.includes("coordinator")) return "/board";
  return "/book";
}

function languageSwitch(onChange: () => void): HTMLElement {
  const other: Language = languages.find((l) => l !== language()) ?? "fr";
  return h(
    "button",
    {
      type: "button",
      class: "language",
      lang: other,
      "aria-label": t("nav.switchLanguage"),
      onclick: () => {
        setLanguage(other);
        onChange();
      },
    },
    languageNames[other],
  );
}

/** The header: name, the role-aware menu, language and logout. */
export function header(
  me: Me | null,
  currentPath: string,
  actions: { logout(): void; rerender(): void },
): HTMLElement {
  const shown = new Set<string>();
  const menu = me
    ? rolesOf(me).map((role) => {
        const part = navByRole[role];
        // Someone both manager and coordinator sees the board and the access log once.
        const links = part.links.filter((link) => !shown.has(link.path));
        for (const link of links) shown.add(link.path);
        return h(
          "div",
          { class: "nav-part" },
          h("h2", { class: "nav-heading" }, t(part.heading)),
          h(
            "ul",
            {},
            links.map((link) =>
              h(
                "li",
                {},
                h(
                  "a",
                  {
                    href: link.path,
                    "data-link": true,
                    "aria-current":
                      currentPath === link.path || currentPath.startsWith(`${link.path}/`)
                        ? "page"
                        : null,
                  },
                  t(link.label),
                ),
              ),
            ),
          ),
        );
      })
    : [];
  return h(
    "header",
    { class: "site-header" },
    h(
      "div",
      { class: "bar" },
      h("a", { href: "/", "data-link": true, class: "brand" }, "Passerelle"),
      h(
        "div",
        { class: "bar-actions" },
        languageSwitch(actions.rerender),
        me
          ? h(
              "button",
              { type: "button", class: "logout", onclick: () => actions.logout() },
              t("nav.logout"),
            )
          : null,
      ),
    ),
    me ? h("nav", { "aria-label": t("nav.label") }, menu) : null,
  );
}
