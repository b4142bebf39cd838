import type { MemberView } from "@passerelle/cloud/api-types";
import type { ApiClient, Page } from "../../api/client.js";
import { t } from "../../i18n/i18n.js";

/**
 * A member named by what a person knows — a name or an e-mail, never an internal id — as the
 * id the API filters by. Several matches ask for more (the e-mail); none says so.
 */
export async function findMemberId(api: ApiClient, typed: string): Promise<string | undefined> {
  const text = typed.trim();
  if (text === "") return undefined;
  const page = await api.get<Page<MemberView>>("/members", { q: text, limit: 6 });
  const lower = text.toLowerCase();
  const exact = page.items.filter(
    (m) => m.email?.toLowerCase() === lower || m.name.toLowerCase() === lower,
  );
  const [only] = exact.length === 1 ? exact : page.items;
  if (page.items.length === 0) throw t("people.noMemberMatches", { text });
  if ((exact.length === 1 || page.items.length === 1) && only !== undefined) return only.id;
  throw t("people.severalMembers", {
    names: page.items
      .slice(0, 5)
      .map((m) => (m.email ? `${m.name} (${m.email})` : m.name))
      .join(", "),
  });
}
