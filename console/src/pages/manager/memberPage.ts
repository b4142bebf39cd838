import type { MemberView, StaffView } from "@passerelle/cloud/api-types";
import { Directory } from "../../api/directory.js";
import { notice } from "../../components/notice.js";
import { h } from "../../dom.js";
import { t } from "../../i18n/i18n.js";
import type { PageContext, PageDefinition } from "../../page.js";
import { badgesSection } from "../people/badgesSection.js";
import { passesSection } from "../people/passesSection.js";
import { sessionsSection } from "./sessionsSection.js";

/** One member: their badges and passes (given and ended here), and their sessions. */
async function render(context: PageContext): Promise<Node> {
  const memberId = context.params.memberId ?? "";
  const member = await context.api.get<MemberView>(`/members/${encodeURIComponent(memberId)}`);
  const messages = notice();
  const directory = new Directory(context.api);
  const [centres, staff] = await Promise.all([
    directory.listCentres(),
    context.api.get<StaffView[]>("/staff").catch(() => [] as StaffView[]),
  ]);
  // Who issued or revoked something is shown by e-mail, never by internal id.
  const staffNames = new Map(staff.map((s) => [s.userId, s.email]));
  staffNames.set(context.me.userId, t("people.you"));
  const [badges, passes, sessions] = await Promise.all([
    badgesSection(context, memberId, messages, staffNames),
    passesSection(context, memberId, centres, messages, staffNames),
    sessionsSection(context.api, directory, memberId),
  ]);
  return h(
    "div",
    {},
    h("p", { class: "subtitle" }, member.name, member.email ? ` · ${member.email}` : ""),
    messages.element,
    badges,
    passes,
    sessions,
    h(
      "p",
      { class: "form-row" },
      h(
        "a",
        {
          href: `/access-log?member=${encodeURIComponent(member.email ?? member.name)}&from=`,
          "data-link": true,
        },
        t("members.accessLog"),
      ),
      h("a", { href: "/members", "data-link": true }, t("members.back")),
    ),
  );
}

export const memberPage: PageDefinition = {
  path: "/members/:memberId",
  title: "members.one",
  roles: ["manager", "coordinator"],
  render,
};
