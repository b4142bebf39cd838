import type { GatewayView } from "@passerelle/cloud/api-types";
import type { ApiClient } from "../../api/client.js";
import { describeError } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h } from "../../dom.js";
import { formatDateTime } from "../../format.js";
import { t } from "../../i18n/i18n.js";

const state = (ok: boolean, text: string) =>
  h("span", { class: `badge-state ${ok ? "ok" : "bad"}` }, text);

/** The centre's gateways: online, bundle version, clock trust, outbox depth. */
export async function gatewaysSection(api: ApiClient, centreId: string, zone: string) {
  let gateways: GatewayView[];
  try {
    gateways = await api.all<GatewayView>(`/centres/${encodeURIComponent(centreId)}/gateways`);
  } catch (error) {
    return h(
      "section",
      {},
      h("h2", {}, t("gateways.title")),
      h("p", { class: "hint" }, describeError(error)),
    );
  }
  return h(
    "section",
    {},
    dataTable(
      t("gateways.title"),
      [
        { header: t("gateways.id"), cell: (g) => g.name || g.id },
        {
          header: t("gateways.online"),
          cell: (g) =>
            g.disabled
              ? state(false, t("gateways.disabled"))
              : state(
                  g.status.online,
                  g.status.online ? t("gateways.isOnline") : t("gateways.isOffline"),
                ),
        },
        {
          header: t("gateways.lastSeen"),
          cell: (g) => (g.status.lastSeen ? formatDateTime(g.status.lastSeen, zone) : "—"),
        },
        { header: t("gateways.bundle"), cell: (g) => g.status.bundleVersion ?? "—", numeric: true },
        {
          header: t("gateways.clock"),
          cell: (g) =>
            g.status.clockTrusted === null
              ? "—"
              : state(
                  g.status.clockTrusted,
                  g.status.clockTrusted ? t("gateways.clockTrusted") : t("gateways.clockUntrusted"),
                ),
        },
        {
          header: t("gateways.outbox"),
          cell: (g) =>
            g.status.outboxDepth === null
              ? "—"
              : `${g.status.outboxDepth}${g.status.outboxFull ? ` (${t("gateways.outboxFull")})` : ""}`,
          numeric: true,
        },
      ],
      gateways,
      { "data-testid": "gateways" },
    ),
  );
}
