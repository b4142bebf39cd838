import type { AvailabilityItem, CentreView, ResourceKind } from "@passerelle/cloud/api-types";
import { ApiError } from "../../api/apiError.js";
import type { Page } from "../../api/client.js";
import { Directory } from "../../api/directory.js";
import { coversRange } from "../../api/slots.js";
import { field, input, select } from "../../components/fields.js";
import { notice } from "../../components/notice.js";
import { h, replaceChildren } from "../../dom.js";
import { formatDate, formatTime, today, zonedIso } from "../../format.js";
import { t } from "../../i18n/i18n.js";
import type { PageContext, PageDefinition } from "../../page.js";
import { defaultSlot, seatsFree } from "../people/bookingDefaults.js";

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

async function render(context: PageContext): Promise<Node> {
  const directory = new Directory(context.api);
  const centres = await directory.listCentres();
  const byId = new Map(centres.map((c) => [c.id, c]));

  const centre = select(
    [
      { value: "", label: t("book.anywhere") },
      ...centres.map((c) => ({ value: c.id, label: c.name })),
    ],
    { name: "centre" },
    context.query.get("centre") ?? "",
  );
  // The next free slot of today (never one already past), or tomorrow's working day.
  const slot = defaultSlot(new Date());
  const date = input({
    type: "date",
    name: "date",
    value: slot.date,
    min: today(),
    required: true,
  });
  const start = input({
    type: "time",
    name: "start",
    value: slot.start,
    step: 900,
    required: true,
  });
  const end = input({ type: "time", name: "end", value: slot.end, step: 900, required: true });
  const repeat = select(
    [
      { value: "", label: t("people.repeatNone") },
      ...[4, 8, 12].map((weeks) => ({
        value: String(weeks),
        label: t("people.repeatWeeks", { count: weeks }),
      })),
    ],
    { name: "repeat" },
  );
  const kind = select(
    [
      { value: "desk", label: t("kind.desk") },
      { value: "room", label: t("kind.room") },
      { value: "zone", label: t("kind.zone") },
    ],
    { name: "kind" },
  );
  const messages = notice();
  const results = h("div", { class: "results", "aria-live": "polite" });

  const zoneFor = (c: CentreView | undefined) => c?.timeZone ?? browserZone;

  async function book(item: AvailabilityItem, button: HTMLButtonElement) {
    const zone = zoneFor(byId.get(item.centreId));
    button.disabled = true;
    try {
      const slot = {
        resourceId: item.resourceId,
        start: zonedIso(date.value, start.value, zone),
        end: zonedIso(date.value, end.value, zone),
      };
      if (repeat.value !== "") {
        // Every week at the same time; weeks already taken are skipped and named.
        const series = await context.api.post<{ created: unknown[]; skipped: { start: string }[] }>(
          "/bookings/recurring",
          { ...slot, rrule: `FREQ=WEEKLY;COUNT=${repeat.value}`, mode: "skip-conflicts" },
        );
        messages.ok(
          t("people.seriesDone", {
            name: item.name,
            count: series.created.length,
            skipped: series.skipped.map((s) => formatDate(s.start, zone)).join(", ") || "—",
          }),
        );
        await search();
        return;
      }
      await context.api.post("/bookings", slot);
      messages.ok(
        t("book.done", {
          name: item.name,
          centre: byId.get(item.centreId)?.name ?? item.centreId,
          start: start.value,
          end: end.value,
        }),
      );
      await search();
    } catch (error) {
      // Taken meanwhile, centre closed, no pass, in the past: the server says which.
      // A conflict on the start: the worker already holds a booking of it at that time.
      const mine =
        error instanceof ApiError &&
        error.status === 409 &&
        error.fields.some((f) => f.field === "start");
      messages.error(
        mine
          ? t("people.alreadyBooked", { name: item.name })
          : error instanceof ApiError && error.status === 409
            ? t("book.conflict", { detail: error.detail })
            : error,
      );
      button.disabled = false;
    }
  }

  async function search() {
    const chosen = byId.get(centre.value);
    const zone = zoneFor(chosen);
    const from = zonedIso(date.value, start.value, zone);
    const to = zonedIso(date.value, end.value, zone);
    replaceChildren(results, h("p", { class: "loading" }, t("common.loading")));
    try {
      // The whole network may hold thousands of resources: a few pages, then ask to narrow.
      const page: { items: AvailabilityItem[]; nextCursor: string | null } = {
        items: [],
        nextCursor: null,
      };
      for (let pages = 0; pages < 5; pages += 1) {
        const next: Page<AvailabilityItem> = await context.api.get("/availability", {
          centreId: centre.value || undefined,
          from,
          to,
          kind: kind.value as ResourceKind,
          limit: 100,
          cursor: page.nextCursor,
        });
        page.items.push(...next.items);
        page.nextCursor = next.nextCursor;
        if (next.nextCursor === null) break;
      }
      const fromMs = Date.parse(from);
      const toMs = Date.parse(to);
      const bookable = page.items.filter((item) => coversRange(item.slots, fromMs, toMs));
      const partly = page.items.filter(
        (item) => !bookable.includes(item) && item.slots.some((s) => s.free > 0),
      );
      replaceChildren(
        results,
        h("h2", {}, t("book.results", { count: bookable.length })),
        h(
          "p",
          { "data-testid": "seats-summary" },
          t("people.freeOf", {
            // A room is booked whole: rooms are counted, not their seats.
            free:
              kind.value === "room"
                ? bookable.length
                : bookable.reduce((n, item) => n + seatsFree(item.slots, fromMs, toMs), 0),
            total:
              kind.value === "room"
                ? page.items.length
                : page.items.reduce((n, item) => n + item.capacity, 0),
            kind: t(`people.seatsOf.${kind.value as ResourceKind}`),
          }),
        ),
        bookable.length === 0 ? h("p", {}, t("book.noneFree")) : null,
        page.nextCursor === null ? null : h("p", { class: "hint" }, t("book.narrow")),
        h(
          "ul",
          { class: "cards" },
          bookable.map((item) => {
            const button = h("button", { type: "button" }, t("book.bookIt"));
            button.setAttribute("aria-label", t("book.bookNamed", { name: item.name }));
            button.addEventListener("click", () => void book(item, button));
            return h(
              "li",
              { class: "card resource", "data-resource": item.resourceId },
              h("h3", {}, item.name),
              h(
                "p",
                {},
                `${byId.get(item.centreId)?.name ?? item.centreId} · ${t(`kind.${item.kind}`)}`,
                item.capacity > 1
                  ? ` · ${t("people.seatsLeft", { free: seatsFree(item.slots, fromMs, toMs), total: item.capacity })}`
                  : "",
              ),
              button,
            );
          }),
        ),
        partly.length > 0
          ? h(
              "details",
              {},
              h("summary", {}, t("book.partly", { count: partly.length })),
              h(
                "ul",
                {},
                partly.map((item) =>
                  h(
                    "li",
                    {},
                    `${item.name} (${byId.get(item.centreId)?.name ?? item.centreId}): `,
                    item.slots
                      .filter((s) => s.free > 0)
                      .map(
                        (s) =>
                          `${formatTime(s.start, zoneFor(byId.get(item.centreId)))}–${formatTime(s.end, zoneFor(byId.get(item.centreId)))}`,
                      )
                      .join(", "),
                  ),
                ),
              ),
            )
          : null,
      );
    } catch (error) {
      replaceChildren(results);
      messages.error(error);
    }
  }

  const form = h(
    "form",
    {
      class: "card filters",
      "aria-label": t("book.searchLabel"),
      onsubmit: (event: Event) => {
        event.preventDefault();
        messages.clear();
        void search();
      },
    },
    field(t("common.centre"), centre),
    field(t("common.date"), date),
    field(t("common.start"), start),
    field(t("common.end"), end),
    field(t("common.kind"), kind),
    field(t("people.repeat"), repeat),
    h("button", { type: "submit" }, t("book.search")),
  );
  return h("div", {}, form, messages.element, results);
}

export const bookPage: PageDefinition = {
  path: "/book",
  title: "book.title",
  roles: ["worker"],
  render,
};
