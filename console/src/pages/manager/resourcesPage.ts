import type { ResourceKind, ResourceView } from "@passerelle/cloud/api-types";
import { Directory } from "../../api/directory.js";
import { button, field, input, select } from "../../components/fields.js";
import { notice } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h, replaceChildren } from "../../dom.js";
import { t } from "../../i18n/i18n.js";
import type { PageContext, PageDefinition } from "../../page.js";
import { centreChooser } from "./centreChooser.js";

/**
 * The kinds in the order the form offers them (desks first, the everyday case); typed by the
 * API's ResourceKind, so a kind the API drops fails the type check here.
 */
const resourceKindsOffered: readonly ResourceKind[] = ["desk", "room", "zone"];

/** A centre's desks, rooms and zones: add one, rename it, archive it. */
async function render(context: PageContext): Promise<Node> {
  const centres = await new Directory(context.api).staffCentres(context.me);
  let centreId = context.query.get("centre") ?? centres[0]?.id ?? "";
  const messages = notice();
  const list = h("div");
  const base = () => `/centres/${encodeURIComponent(centreId)}/resources`;

  async function load() {
    const resources = await context.api.all<ResourceView>(base());
    replaceChildren(
      list,
      dataTable(
        t("resources.caption"),
        [
          { header: t("common.name"), cell: (r) => r.name },
          { header: t("common.kind"), cell: (r) => t(`kind.${r.kind}`) },
          { header: t("resources.capacity"), cell: (r) => r.capacity, numeric: true },
          {
            header: t("bookings.actions"),
            cell: (r) =>
              button(
                t("resources.archive"),
                async () => {
                  try {
                    await context.api.delete(`/resources/${encodeURIComponent(r.id)}`);
                    messages.ok(t("resources.archived", { name: r.name }));
                    await load();
                  } catch (error) {
                    messages.error(error);
                  }
                },
                { class: "danger", "aria-label": t("resources.archiveNamed", { name: r.name }) },
              ),
          },
        ],
        resources,
      ),
    );
  }

  const name = input({ name: "name", required: true, maxlength: 100 });
  const kind = select(
    resourceKindsOffered.map((k) => ({ value: k, label: t(`kind.${k}`) })),
    { name: "kind" },
  );
  const capacity = input({ type: "number", name: "capacity", min: 1, max: 500, value: 1 });
  const form = h(
    "form",
    {
      class: "card filters",
      "aria-label": t("resources.add"),
      onsubmit: async (event: Event) => {
        event.preventDefault();
        try {
          await context.api.post(base(), {
            name: name.value.trim(),
            kind: kind.value,
            capacity: Number(capacity.value),
          });
          messages.ok(t("resources.added", { name: name.value.trim() }));
          name.value = "";
          await load();
        } catch (error) {
          messages.error(error);
        }
      },
    },
    field(t("common.name"), name),
    field(t("common.kind"), kind),
    field(t("resources.capacity"), capacity),
    h("button", { type: "submit" }, t("resources.add")),
  );

  const chooser = centreChooser(centres, centreId, (next) => {
    centreId = next;
    history.replaceState(null, "", `/resources?centre=${encodeURIComponent(next)}`);
    void load().catch((error) => messages.error(error));
  });
  await load();
  return h(
    "div",
    {},
    h("div", { class: "filters" }, chooser.element),
    messages.element,
    list,
    h("h2", {}, t("resources.add")),
    form,
  );
}

export const resourcesPage: PageDefinition = {
  path: "/resources",
  title: "resources.title",
  roles: ["manager", "coordinator"],
  render,
};
