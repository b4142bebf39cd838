import type { Page } from "../../api/client.js";
import { Directory } from "../../api/directory.js";
import type { MemberView } from "../../api/views.js";
import { field, input } from "../../components/fields.js";
import { notice } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h, replaceChildren } from "../../dom.js";
import { t } from "../../i18n/i18n.js";
import type { PageContext, PageDefinition } from "../../page.js";
import { centreChooser } from "./centreChooser.js";

/** The members of my centres (home centre or a pass for it), searchable; each opens its page. */
async function render(context: PageContext): Promise<Node> {
  const directory = new Directory(context.api);
  const centres = await directory.staffCentres(context.me);
  let centreId =
    context.query.get("centre") ?? (context.me.coordinator ? "" : (centres[0]?.id ?? ""));
  const q = input({ type: "search", name: "q", value: context.query.get("q") ?? "" });
  const messages = notice();
  const list = h("div");

  async function load() {
    try {
      const page = await context.api.get<Page<MemberView>>("/members", {
        centreId: centreId || undefined,
        q: q.value.trim() || undefined,
        limit: 100,
      });
      replaceChildren(
        list,
        dataTable(
          t("members.caption"),
          [
            {
              header: t("common.name"),
              cell: (m) =>
                h("a", { href: `/members/${encodeURIComponent(m.id)}`, "data-link": true }, m.name),
            },
            { header: t("common.email"), cell: (m) => m.email ?? "" },
          ],
          page.items,
        ),
        page.nextCursor ? h("p", { class: "hint" }, t("members.narrow")) : null,
      );
    } catch (error) {
      replaceChildren(list);
      messages.error(error);
    }
  }

  const chooser = centreChooser(
    centres,
    centreId,
    (next) => {
      centreId = next;
      void load();
    },
    { all: context.me.coordinator },
  );
  await load();
  return h(
    "div",
    {},
    h(
      "form",
      {
        class: "card filters",
        role: "search",
        onsubmit: (event: Event) => {
          event.preventDefault();
          void load();
        },
      },
      chooser.element,
      field(t("members.search"), q),
      h("button", { type: "submit" }, t("common.search")),
    ),
    messages.element,
    list,
  );
}

export const membersPage: PageDefinition = {
  path: "/members",
  title: "members.title",
  roles: ["manager", "coordinator"],
  render,
};
