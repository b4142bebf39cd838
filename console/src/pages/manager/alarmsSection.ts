import type { AlarmView, DoorView } from "@passerelle/cloud/api-types";
import type { ApiClient } from "../../api/client.js";
import { followEventStream } from "../../api/eventStream.js";
import { field, input } from "../../components/fields.js";
import { notice } from "../../components/notice.js";
import { h, replaceChildren } from "../../dom.js";
import { formatDateTime } from "../../format.js";
import { t } from "../../i18n/i18n.js";

/**
 * The centre's alarms on the board, live: the open ones come with the stream's snapshot, each
 * raised, cleared or acknowledged one as an `alarm` event (cloud alarms/stream). Each one not
 * yet acknowledged has its note field and button; the history is one link away (/alarms).
 */
export function alarmsSection(
  api: ApiClient,
  centreId: string,
  zone: string,
  signal: AbortSignal,
): HTMLElement {
  const alarms = new Map<string, AlarmView>();
  const messages = notice();
  const list = h("ul", { class: "alarms", "data-testid": "alarms" });
  const section = h(
    "section",
    { class: "card", "aria-labelledby": "alarms-heading" },
    h("h2", { id: "alarms-heading" }, t("alarms.title")),
    messages.element,
    list,
    h(
      "p",
      {},
      h("a", { href: `/alarms?centre=${encodeURIComponent(centreId)}` }, t("alarms.history")),
    ),
  );
  let doorNames = new Map<string, string>();
  void api
    .all<DoorView>(`/centres/${encodeURIComponent(centreId)}/doors`)
    .then((doors) => {
      doorNames = new Map(doors.map((d) => [d.id, d.name]));
      draw();
    })
    .catch(() => undefined);

  function item(alarm: AlarmView): HTMLElement {
    const where = alarm.doorId
      ? (doorNames.get(alarm.doorId) ?? alarm.doorId)
      : (alarm.gatewayId ?? "");
    const note = input({ name: "note", required: true, maxlength: 1000 });
    const form = h(
      "form",
      {
        class: "filters",
        "aria-label": t("alarms.acknowledgeNamed", { what: t(`alarmKind.${alarm.kind}`), where }),
        onsubmit: async (event: Event) => {
          event.preventDefault();
          try {
            const done = await api.post<AlarmView>(
              `/alarms/${encodeURIComponent(alarm.id)}/acknowledge`,
              { note: note.value.trim() },
            );
            alarms.set(done.id, done);
            messages.ok(t("alarms.acknowledged"));
            draw();
          } catch (error) {
            messages.error(error);
          }
        },
      },
      field(t("alarms.note"), note),
      h("button", { type: "submit" }, t("alarms.acknowledge")),
    );
    return h(
      "li",
      { class: "alarm", "data-kind": alarm.kind },
      h(
        "p",
        {},
        h("span", { class: "badge-state bad" }, `⚠ ${t(`alarmKind.${alarm.kind}`)}`),
        " ",
        where,
        " — ",
        formatDateTime(alarm.raisedAt, zone),
        alarm.clearedAt
          ? ` (${t("alarms.ended", { time: formatDateTime(alarm.clearedAt, zone) })})`
          : "",
      ),
      form,
    );
  }

  function draw() {
    const open = [...alarms.values()]
      .filter((a) => a.acknowledgedAt === null)
      .sort((a, b) => (a.raisedAt < b.raisedAt ? 1 : -1));
    replaceChildren(
      list,
      open.length === 0 ? h("li", { class: "hint" }, t("alarms.none")) : open.map(item),
    );
  }

  draw();
  void followEventStream({
    url: `/api/v1/centres/${encodeURIComponent(centreId)}/alarms/stream`,
    headers: () => api.headers(),
    signal,
    onRefused: () => replaceChildren(list, h("li", { class: "hint" }, t("alarms.unavailable"))),
    onEvent: (event) => {
      if (event.event === "snapshot") {
        alarms.clear();
        for (const alarm of (JSON.parse(event.data) as { items: AlarmView[] }).items) {
          alarms.set(alarm.id, alarm);
        }
      } else if (event.event === "alarm") {
        const alarm = JSON.parse(event.data) as AlarmView;
        alarms.set(alarm.id, alarm);
      } else {
        return;
      }
      draw();
    },
  });
  return section;
}
