import type { CentreOccupancyView, DoorLiveView } from "@passerelle/cloud/api-types";
import { ApiError } from "../../api/apiError.js";
import { Directory } from "../../api/directory.js";
import { followEventStream } from "../../api/eventStream.js";
import { capacityBar } from "../../components/capacityBar.js";
import { type Point, stepChart } from "../../components/charts.js";
import { describeError } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h, replaceChildren } from "../../dom.js";
import { formatTime, todayIn, zonedIso } from "../../format.js";
import { t } from "../../i18n/i18n.js";
import type { PageContext, PageDefinition } from "../../page.js";
import { alarmsSection } from "./alarmsSection.js";
import { gatewaysSection } from "./gatewaysSection.js";
import { todaysCurve } from "./occupancyCurve.js";
import { unconfirmedSection } from "./unconfirmedSection.js";
import { weekSection } from "./weekSection.js";

function doorStateCell(door: DoorLiveView): Node {
  const alarm = door.alarm
    ? h("span", { class: "badge-state bad" }, `⚠ ${t(`alarm.${door.alarm}`)}`)
    : null;
  return h(
    "span",
    {},
    h(
      "span",
      { class: `badge-state ${door.state === "unknown" ? "warn" : "ok"}` },
      t(`doorState.${door.state}`),
    ),
    " ",
    alarm,
    door.reporting ? "" : ` ${t("board.notReporting")}`,
  );
}

/**
 * One centre, live: inside/capacity, zones, who is inside, doors, today's curve and the
 * gateways. Snapshots come from the SSE stream (read with fetch, bearer header); leaving the
 * page aborts it.
 */
async function render(context: PageContext): Promise<Node> {
  const centreId = context.params.centreId ?? "";
  const base = `/centres/${encodeURIComponent(centreId)}`;
  // A centre that is not this manager's answers 404, like one that does not exist.
  const first = await context.api.get<CentreOccupancyView>(`${base}/occupancy`);
  const directory = new Directory(context.api);
  const centre = await directory.centre(centreId);
  const zone = centre?.timeZone ?? "Europe/Brussels";
  const dayStartIso = zonedIso(todayIn(zone), "00:00", zone);
  const dayStart = Date.parse(dayStartIso);

  // Zones are the centre's resources (a shared space, a room): shown by their names.
  const zoneNames = new Map(
    (await directory.resourcesOf(centreId).catch(() => [])).map((r) => [r.id, r.name]),
  );
  const liveState = h("p", { class: "live", role: "status" }, t("board.connecting"));
  const summary = h("section", { class: "card", "aria-labelledby": "inside-heading" });
  const people = h("section", {});
  const doors = h("section", {});
  const curveHolder = h("section", { class: "card" });
  let curve: Point[] = await todaysCurve(context.api, centreId, dayStartIso).catch(() => [
    { x: dayStart, y: first.inside },
  ]);

  function drawCurve(view: CentreOccupancyView) {
    const dayEnd = dayStart + 86_400_000;
    replaceChildren(
      curveHolder,
      h("h2", {}, t("board.today")),
      stepChart(
        t("board.todayChart", { name: view.name }),
        curve,
        // Scaled to the day's peak (not the capacity), so a quiet day still shows its shape.
        {
          x0: dayStart,
          x1: dayEnd,
          yMax: Math.max(4, Math.ceil(1.25 * Math.max(...curve.map((p) => p.y)))),
        },
        (x) => formatTime(x, zone),
      ),
    );
  }

  function draw(view: CentreOccupancyView) {
    replaceChildren(
      summary,
      h("h2", { id: "inside-heading" }, t("board.insideNow")),
      capacityBar(view.inside, view.capacity),
      view.stale
        ? h(
            "p",
            { class: "badge-state bad stale-note", "data-testid": "stale" },
            t("board.staleSince", {
              since: view.offlineSince ? formatTime(view.offlineSince, zone) : "?",
              time: view.time ? formatTime(view.time, zone) : "?",
            }),
          )
        : view.time
          ? h("p", { class: "hint" }, t("board.asOf", { time: formatTime(view.time, zone) }))
          : h("p", { class: "hint" }, t("board.noSample")),
      view.attributed < view.inside
        ? h("p", { class: "hint" }, t("board.attributed", { count: view.attributed }))
        : null,
      view.zones.length > 0
        ? dataTable(
            t("board.zones"),
            [
              { header: t("board.zone"), cell: (z) => zoneNames.get(z.zone) ?? z.zone },
              { header: t("board.inside"), cell: (z) => z.inside, numeric: true },
            ],
            view.zones,
          )
        : null,
    );
    replaceChildren(
      people,
      dataTable(
        t("board.people.caption", { count: view.people.length }),
        [
          { header: t("common.name"), cell: (p) => p.name ?? p.memberId },
          { header: t("board.since"), cell: (p) => formatTime(p.since, zone) },
        ],
        view.people,
        { "data-testid": "people-inside" },
      ),
    );
    replaceChildren(
      doors,
      dataTable(
        t("board.doors"),
        [
          { header: t("board.door"), cell: (d) => d.name ?? d.doorId },
          { header: t("common.status"), cell: doorStateCell },
          { header: t("board.since"), cell: (d) => (d.since ? formatTime(d.since, zone) : "") },
        ],
        view.doors,
      ),
    );
    drawCurve(view);
  }

  // "Live" only while the stream is up and no gateway behind the counts is offline.
  let streamUp = false;
  let stale = first.stale;
  const showLiveState = () => {
    const live = streamUp && !stale;
    liveState.classList.toggle("on", live);
    liveState.classList.toggle("stale", streamUp && stale);
    replaceChildren(
      liveState,
      !streamUp ? t("board.reconnecting") : stale ? t("board.stale") : t("board.live"),
    );
  };

  draw(first);
  let lastInside = first.inside;
  const stop = (status: number) =>
    replaceChildren(liveState, describeError(new ApiError(status, "", "")));
  void followEventStream({
    url: `/api/v1${base}/occupancy/stream`,
    headers: () => context.api.headers(),
    signal: context.signal,
    onState: (live) => {
      streamUp = live;
      showLiveState();
    },
    onRefused: stop,
    onEvent: (event) => {
      if (event.event !== "snapshot") return;
      const view = JSON.parse(event.data) as CentreOccupancyView;
      stale = view.stale;
      showLiveState();
      if (view.inside !== lastInside) {
        curve = [...curve, { x: Date.now(), y: view.inside }];
        lastInside = view.inside;
      }
      draw(view);
    },
  });

  return h(
    "div",
    { class: "board", "data-centre": centreId },
    h("p", { class: "subtitle" }, first.name, " ", liveState),
    h("div", { class: "grid" }, summary, curveHolder),
    alarmsSection(context.api, centreId, zone, context.signal),
    await weekSection(context.api, centreId, first.name),
    people,
    doors,
    await unconfirmedSection(context.api, centreId, zone),
    await gatewaysSection(context.api, centreId, zone),
  );
}

export const boardPage: PageDefinition = {
  path: "/board/:centreId",
  title: "board.title",
  roles: ["manager", "coordinator"],
  render,
};
