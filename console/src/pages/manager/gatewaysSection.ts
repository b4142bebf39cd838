import { ApiError } from "../../api/apiError.js";
import type { ApiClient, Page } from "../../api/client.js";
import type { GatewayView } from "../../api/views.js";
import { describeError } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h } from "../../dom.js";
import { formatDateTime } from "../../format.js";
import { t } from "../../i18n/i18n.js";

/** The live fields, whether the route puts them on the gateway or under `status`. */
function live(gateway: GatewayView) {
  const s = gateway.status ?? {};
  return {
    online: gateway.online ?? s.online ?? false,
    lastSeen: gateway.lastSeen ?? s.lastSeen ?? null,
    bundleVersion: gateway.bundleVersion ?? s.bundleVersion ?? null,
    clockTrusted: gateway.clockTrusted ?? s.clockTrusted ?? null,
    outboxDepth: gateway.outboxDepth ?? s.outboxDepth ?? null,
  };
}

/** The centre's gateways: online, bundle version, clock trust, outbox depth. */
export async function gatewaysSection(api: ApiClient, centreId: string, zone: string) {
  let gateways: GatewayView[];
  try {
    const answer = await api.get<Page<GatewayView> | GatewayView[]>(
      `/centres/${encodeURIComponent(centreId)}/gateways`,
    );
    gateways = Array.isArray(answer) ? answer : answer.items;
  } catch (error) {
    const reason =
      error instanceof ApiError && error.status === 404
        ? t("gateways.unavailable")
        : describeError(error);
    return h("section", {}, h("h2", {}, t("gateways.title")), h("p", { class: "hint" }, reason));
  }
  const rows = gateways.map((g) => ({ id: g.id, disabled: g.disabled ?? false, ...live(g) }));
  return h(
    "section",
    {},
    dataTable(
      t("gateways.title"),
      [
        { header: t("gateways.id"), cell: (g) => g.id },
        {
          header: t("gateways.online"),
          cell: (g) =>
            h(
              "span",
              { class: `badge-state ${g.online ? "ok" : "bad"}` },
              g.disabled
                ? t("gateways.disabled")
                : g.online
                  ? t("gateways.isOnline")
                  : t("gateways.isOffline"),
            ),
        },
        {
          header: t("gateways.lastSeen"),
          cell: (g) => (g.lastSeen ? formatDateTime(g.lastSeen, zone) : "—"),
        },
        { header: t("gateways.bundle"), cell: (g) => g.bundleVersion ?? "—", numeric: true },
        {
          header: t("gateways.clock"),
          cell: (g) =>
            g.clockTrusted === null
              ? "—"
              : h(
                  "span",
                  { class: `badge-state ${g.clockTrusted ? "ok" : "bad"}` },
                  g.clockTrusted ? t("gateways.clockTrusted") : t("gateways.clockUntrusted"),
                ),
        },
        { header: t("gateways.outbox"), cell: (g) => g.outboxDepth ?? "—", numeric: true },
      ],
      rows,
    ),
  );
}
