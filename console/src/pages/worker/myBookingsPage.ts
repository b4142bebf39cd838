import type { BookingView } from "@passerelle/cloud/api-types";
import type { Page } from "../../api/client.js";
import { Directory } from "../../api/directory.js";
import { notice } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h, replaceChildren } from "../../dom.js";
import { formatDateTime, formatTime } from "../../format.js";
import { t } from "../../i18n/i18n.js";
import type { PageContext, PageDefinition } from "../../page.js";

/** A cancel button that asks once more before cancelling (a slip of the thumb on a phone). */
function cancelButton(onConfirm: () => Promise<void>, name: string): HTMLButtonElement {
  let armed = false;
  const button = h("button", { type: "button", class: "danger" }, t("bookings.cancel"));
  button.setAttribute("aria-label", t("bookings.cancelNamed", { name }));
  button.addEventListener("click", async () => {
    if (!armed) {
      armed = true;
      button.textContent = t("bookings.confirmCancel");
      button.setAttribute("aria-label", t("bookings.confirmCancelNamed", { name }));
      return;
    }
    button.disabled = true;
    await onConfirm();
  });
  return button;
}

async function render(context: PageContext): Promise<Node> {
  const directory = new Directory(context.api);
  const messages = notice();
  const list = h("div");

  async function load() {
    const page = await context.api.get<Page<BookingView>>("/me/bookings", {
      status: "confirmed",
      from: new Date(Date.now() - 12 * 3_600_000).toISOString(),
      limit: 200,
    });
    const rows = await Promise.all(
      page.items.map(async (booking) => ({
        booking,
        centre: await directory.centre(booking.centreId),
        resource: await directory.resourceName(booking.centreId, booking.resourceId),
      })),
    );
    replaceChildren(
      list,
      dataTable(
        t("bookings.upcoming"),
        [
          {
            header: t("bookings.when"),
            cell: (r) =>
              `${formatDateTime(r.booking.start, r.centre?.timeZone)} – ${formatTime(r.booking.end, r.centre?.timeZone)}`,
          },
          { header: t("bookings.what"), cell: (r) => r.resource },
          { header: t("common.centre"), cell: (r) => r.centre?.name ?? r.booking.centreId },
          {
            header: t("bookings.actions"),
            cell: (r) =>
              cancelButton(async () => {
                try {
                  await context.api.delete(`/bookings/${encodeURIComponent(r.booking.id)}`);
                  messages.ok(t("bookings.cancelled", { name: r.resource }));
                  await load();
                } catch (error) {
                  messages.error(error);
                }
              }, r.resource),
          },
        ],
        rows,
        { "data-testid": "my-bookings" },
      ),
    );
  }

  await load();
  return h(
    "div",
    {},
    messages.element,
    list,
    h("p", {}, h("a", { href: "/book", "data-link": true }, t("bookings.bookAnother"))),
  );
}

export const myBookingsPage: PageDefinition = {
  path: "/bookings",
  title: "bookings.title",
  roles: ["worker"],
  render,
};
