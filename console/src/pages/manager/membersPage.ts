import type { MemberView } from "@passerelle/cloud/api-types";
import type { Page } from "../../api/client.js";
import { Directory } from "../../api/directory.js";
import { field, input, searchForm, select } from "../../components/fields.js";
import { notice } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h, replaceChildren } from "../../dom.js";
import { language as currentLanguage, languageNames, languages, t } from "../../i18n/i18n.js";
import type { PageContext, PageDefinition } from "../../page.js";
import { memberImportSection } from "../people/memberImportSection.js";
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
  const name = input({ name: "name", required: true, maxlength: 200, autocomplete: "off" });
  const email = input({ type: "email", name: "email", required: true, autocomplete: "off" });
  const home = select(
    centres.map((c) => ({ value: c.id, label: c.name })),
    { name: "homeCentreId" },
    centreId || centres[0]?.id || "",
  );
  // Only the languages the console speaks: a member's e-mails and pages follow this choice.
  const language = select(
    languages.map((value) => ({ value, label: languageNames[value] })),
    { name: "language" },
    currentLanguage(),
  );
  const create = h(
    "form",
    {
      class: "card filters",
      "aria-label": t("members.add"),
      onsubmit: async (event: Event) => {
        event.preventDefault();
        try {
          const member = await context.api.post<MemberView>("/members", {
            name: name.value.trim(),
            email: email.value.trim(),
            homeCentreId: home.value,
            language: language.value,
          });
          context.navigate(`/members/${encodeURIComponent(member.id)}`);
        } catch (error) {
          messages.error(error);
        }
      },
    },
    field(t("common.name"), name),
    field(t("common.email"), email),
    field(t("members.home"), home),
    field(t("members.language"), language),
    h("button", { type: "submit" }, t("members.add")),
  );

  await load();
  return h(
    "div",
    {},
    searchForm(
      () => void load(),
      { role: "search" },
      chooser.element,
      field(t("members.search"), q),
    ),
    messages.element,
    list,
    h("h2", {}, t("members.add")),
    create,
    memberImportSection(context.api, () => void load()),
  );
}

export const membersPage: PageDefinition = {
  path: "/members",
  title: "members.title",
  roles: ["manager", "coordinator"],
  render,
};
