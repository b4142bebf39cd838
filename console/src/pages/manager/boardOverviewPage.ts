import type { CentreCountView, NetworkOccupancyView } from "@passerelle/cloud/api-types";
import { Directory } from "../../api/directory.js";
import { followEventStream } from "../../api/eventStream.js";
import { capacityBar } from "../../components/capacityBar.js";
import { h, replaceChildren } from "../../dom.js";
import { formatTime } from "../../format.js";
import { t } from "../../i18n/i18n.js";
import type { PageContext, PageDefinition } from "../../page.js";
import { networkDaysSection } from "./networkDaysSection.js";

function centreCard(centre: CentreCountView, timeZone: string | undefined): HTMLElement {
  return h(
    "li",
    { class: "card", "data-centre": centre.centreId },
    h(
      "h2",
      {},
      h(
        "a",
        { href: `/board/${encodeURIComponent(centre.centreId)}`, "data-link": true },
        centre.name,
      ),
    ),
    capacityBar(centre.inside, centre.capacity),
    centre.stale
      ? h(
          "p",
          { class: "badge-state bad", "data-testid": "stale" },
          t("board.staleCard", { time: centre.time ? formatTime(centre.time, timeZone) : "?" }),
        )
      : null,
    centre.alarms > 0
      ? h("p", { class: "badge-state bad" }, `⚠ ${t("board.alarms", { count: centre.alarms })}`)
      : null,
  );
}

/**
 * The centres this person looks after, with live counts and door alarms (the network stream:
 * a snapshot, then one `centre` event per change), and their last 30 days. A manager of one
 * centre goes straight in.
 */
async function render(context: PageContext): Promise<Node> {
  const [{ centres }, known] = await Promise.all([
    context.api.get<NetworkOccupancyView>("/occupancy"),
    new Directory(context.api).listCentres(),
  ]);
  const zones = new Map(known.map((c) => [c.id, c.timeZone]));
  if (centres.length === 1 && !context.me.coordinator && centres[0]) {
    context.navigate(`/board/${encodeURIComponent(centres[0].centreId)}`, true);
    return h("p", {}, t("common.loading"));
  }
  const byId = new Map(centres.map((c) => [c.centreId, c]));
  const list = h("ul", { class: "cards" });
  const total = h("p", { class: "network-total", "data-testid": "network-total" });
  // Summed here from the entries, so a `centre` event updates it as well as a snapshot.
  const draw = () => {
    const all = [...byId.values()];
    const inside = all.reduce((sum, c) => sum + c.inside, 0);
    const stale = all.filter((c) => c.stale).length;
    replaceChildren(
      total,
      h("strong", {}, t("board.networkTotal", { inside })),
      stale > 0
        ? h("span", { class: "badge-state bad" }, ` ${t("board.networkStale", { count: stale })}`)
        : null,
    );
    replaceChildren(
      list,
      all.map((c) => centreCard(c, zones.get(c.centreId))),
    );
  };
  const liveState = h("p", { class: "live", role: "status" }, t("board.connecting"));
  draw();
  void followEventStream({
    url: "/api/v1/occupancy/stream",
    headers: () => context.api.headers(),
    signal: context.signal,
    onState: (live) => {
      liveState.classList.toggle("on", live);
      replaceChildren(liveState, live ? t("board.live") : t("board.reconnecting"));
    },
    onEvent: (event) => {
      if (event.event === "snapshot") {
        const snapshot = JSON.parse(event.data) as NetworkOccupancyView;
        byId.clear();
        for (const centre of snapshot.centres) byId.set(centre.centreId, centre);
      } else if (event.event === "centre") {
        const centre = JSON.parse(event.data) as CentreCountView;
        byId.set(centre.centreId, centre);
      } else return;
      draw();
    },
  });
  return h("div", {}, liveState, total, list, await networkDaysSection(context.api));
}

export const boardOverviewPage: PageDefinition = {
  path: "/board",
  title: "board.overview",
  roles: ["manager", "coordinator"],
  render,
};
