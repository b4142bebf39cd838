import type { CentreView, GatewayView, StaffView } from "@passerelle/cloud/api-types";
import type { ApiClient } from "../../api/client.js";
import type { Option } from "../../components/fields.js";
import { fr } from "../../i18n/fr.js";
import { t } from "../../i18n/i18n.js";
import { actorText, auditActionText } from "../../words/codeWords.js";

/** The door events the audit log keeps (cloud/src/audit/gatewayEventAudit.ts). */
const doorActions = ["access", "door.held-open", "door.forced-open", "door.alarm-cleared"];

/** Every action the console has words for, by their words (an action filter in words). */
export function actionOptions(): Option[] {
  const admin = Object.keys(fr)
    .filter((key) => key.startsWith("auditAction."))
    .map((key) => key.slice("auditAction.".length));
  return [...doorActions, ...admin]
    .map((value) => ({ value, label: auditActionText(value) }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

export interface Actors {
  /** user id → e-mail, for the staff the caller may see. */
  people: Map<string, string>;
  options: Option[];
}

/**
 * Who can be picked as the actor: the staff accounts the caller sees (by e-mail) and the
 * gateways of their centres. The API filters on the exact actor ("user:…", "gateway:…").
 */
export async function loadActors(api: ApiClient, centres: readonly CentreView[]): Promise<Actors> {
  const [staff, gateways] = await Promise.all([
    api.get<StaffView[]>("/staff").catch(() => [] as StaffView[]),
    Promise.all(
      centres.map((c) =>
        api
          .all<GatewayView>(`/centres/${encodeURIComponent(c.id)}/gateways`)
          .catch(() => [] as GatewayView[]),
      ),
    ).then((lists) => lists.flat()),
  ]);
  const people = new Map(staff.map((s) => [s.userId, s.email]));
  const options: Option[] = [
    { value: "", label: t("audit.everyone") },
    ...staff.map((s) => ({ value: `user:${s.userId}`, label: s.email })),
    ...gateways.map((g) => ({
      value: `gateway:${g.id}`,
      label: actorText(`gateway:${g.id}`, people),
    })),
  ];
  return { people, options };
}
