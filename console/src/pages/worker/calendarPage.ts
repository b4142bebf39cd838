import type { CalendarLinkView } from "@passerelle/cloud/api-types";
import { button } from "../../components/fields.js";
import { notice } from "../../components/notice.js";
import { h, replaceChildren } from "../../dom.js";
import { t } from "../../i18n/i18n.js";
import type { PageContext, PageDefinition } from "../../page.js";

/**
 * My bookings as an iCalendar feed. Asking for the link makes a new one and ends the previous
 * one (the server keeps only a hash of it), so the page asks only when the worker presses.
 */
function render(context: PageContext): Node {
  const messages = notice();
  const shown = h("div", { class: "card", hidden: true });

  const create = button(t("calendar.create"), async () => {
    create.disabled = true;
    try {
      const link = await context.api.get<CalendarLinkView>("/me/calendar-link");
      const field = h("input", {
        type: "text",
        readonly: true,
        value: link.url,
        id: "calendar-url",
        class: "secret",
      });
      replaceChildren(
        shown,
        h("label", { for: "calendar-url" }, t("calendar.url")),
        field,
        h(
          "p",
          { class: "form-row" },
          h("a", { href: link.webcalUrl }, t("calendar.open")),
          button(
            t("calendar.copy"),
            () => {
              void navigator.clipboard?.writeText(link.url);
              messages.ok(t("calendar.copied"));
            },
            { class: "secondary" },
          ),
        ),
        h("p", { class: "hint" }, t("calendar.keepSecret")),
      );
      shown.hidden = false;
      field.select();
    } catch (error) {
      messages.error(error);
    } finally {
      create.disabled = false;
    }
  });

  const revoke = button(
    t("calendar.revoke"),
    async () => {
      try {
        await context.api.delete("/me/calendar-link");
        shown.hidden = true;
        messages.ok(t("calendar.revoked"));
      } catch (error) {
        messages.error(error);
      }
    },
    { class: "danger" },
  );

  return h(
    "div",
    {},
    h("p", {}, t("calendar.intro")),
    h("p", { class: "form-row" }, create, revoke),
    messages.element,
    shown,
  );
}

export const calendarPage: PageDefinition = {
  path: "/calendar",
  title: "calendar.title",
  roles: ["worker"],
  render,
};
