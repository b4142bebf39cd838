import type { GatewayView } from "@passerelle/cloud/api-types";
import type { ApiClient } from "../../api/client.js";
import { button, field, input } from "../../components/fields.js";
import { notice } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h, replaceChildren } from "../../dom.js";
import { formatDateTime } from "../../format.js";
import { t } from "../../i18n/i18n.js";

/** The provisioning answer (cloud GatewayCredentialsView): the secret is in it this once. */
interface GatewayCredentials {
  gateway: GatewayView;
  username: string;
  secret: string;
  bundleKeyId: string;
  bundlePublicKeyPem: string;
}

const keyPath = "/etc/passerelle/cloud-signing.pub.pem";

/**
 * The gateway's /etc/passerelle/gateway.json, as deploy/gateway/gateway.example.jsonc has it,
 * without the hardware section (which depends on the wiring at the door).
 */
export function gatewayConfiguration(credentials: GatewayCredentials, brokerUrl: string) {
  return {
    gatewayId: credentials.username,
    centre: credentials.gateway.centreId,
    dataDir: "/var/lib/passerelle-gateway",
    mqtt: { url: brokerUrl, password: credentials.secret },
    trustedKeyFiles: [keyPath],
    // The reader, door and relay wiring is added at the Pi (docs/hardware.md).
  };
}

function offerFile(name: string, text: string, type: string): HTMLElement {
  const url = URL.createObjectURL(new Blob([text], { type }));
  return h("a", { href: url, download: name, class: "button" }, t("gateways.download", { name }));
}

const age = (iso: string | null) => {
  if (iso === null) return "—";
  const minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60_000));
  return minutes < 120
    ? t("gateways.ageMinutes", { count: minutes })
    : t("gateways.ageHours", { count: Math.round(minutes / 60) });
};

/**
 * A centre's gateways for the people who install them: live health (software, rules version
 * and age, clock, events waiting, last seen), provisioning and a new secret. The secret and the
 * configuration file are shown once, here, and never again (the cloud keeps only a hash).
 */
export function gatewayAdminSection(
  api: ApiClient,
  centreId: string,
  zone: string,
  /** A gateway was added: the page offers it for its doors at once. */
  onProvisioned: (gateway: GatewayView) => void = () => undefined,
) {
  const messages = notice();
  const list = h("div");
  const once = h("div", { "data-testid": "gateway-credentials" });
  const brokerUrl = input({
    name: "brokerUrl",
    value: `mqtts://${location.hostname}:8883`,
    required: true,
    pattern: "(mqtts?|wss?|tcp|ssl)://.+",
  });

  function showOnce(credentials: GatewayCredentials) {
    const config = `${JSON.stringify(gatewayConfiguration(credentials, brokerUrl.value), null, 2)}\n`;
    replaceChildren(
      once,
      h(
        "div",
        { class: "card", role: "region", "aria-label": t("gateways.onceTitle") },
        h("h3", {}, t("gateways.onceTitle")),
        h("p", { class: "hint" }, t("gateways.onceHint")),
        h("p", {}, `${t("gateways.username")}: `, h("code", {}, credentials.username)),
        h(
          "p",
          {},
          `${t("gateways.secret")}: `,
          h("code", { "data-testid": "secret" }, credentials.secret),
        ),
        h("pre", { tabindex: 0, "aria-label": "gateway.json" }, config),
        h(
          "p",
          { class: "filters" },
          offerFile("gateway.json", config, "application/json"),
          offerFile(
            "cloud-signing.pub.pem",
            credentials.bundlePublicKeyPem,
            "application/x-pem-file",
          ),
        ),
        button(t("gateways.onceDone"), () => replaceChildren(once)),
      ),
    );
  }

  async function load() {
    const gateways = await api.all<GatewayView>(
      `/centres/${encodeURIComponent(centreId)}/gateways`,
    );
    const state = (ok: boolean, text: string) =>
      h("span", { class: `badge-state ${ok ? "ok" : "bad"}` }, text);
    replaceChildren(
      list,
      dataTable(
        t("gateways.title"),
        [
          {
            header: t("gateways.id"),
            cell: (g) => (g.name === g.id ? g.id : `${g.name} (${g.id})`),
          },
          {
            header: t("gateways.online"),
            cell: (g) =>
              g.disabled
                ? state(false, t("gateways.disabled"))
                : state(
                    g.status.online,
                    t(g.status.online ? "gateways.isOnline" : "gateways.isOffline"),
                  ),
          },
          { header: t("gateways.software"), cell: (g) => g.status.software ?? "—" },
          {
            header: t("gateways.bundle"),
            cell: (g) => g.status.bundleVersion ?? "—",
            numeric: true,
          },
          { header: t("gateways.bundleAge"), cell: (g) => age(g.bundleIssuedAt) },
          {
            header: t("gateways.clock"),
            cell: (g) =>
              g.status.clockTrusted === null
                ? "—"
                : state(
                    g.status.clockTrusted,
                    t(g.status.clockTrusted ? "gateways.clockTrusted" : "gateways.clockUntrusted"),
                  ),
          },
          { header: t("gateways.outbox"), cell: (g) => g.status.outboxDepth ?? "—", numeric: true },
          {
            header: t("gateways.lastSeen"),
            cell: (g) => (g.status.lastSeen ? formatDateTime(g.status.lastSeen, zone) : "—"),
          },
          {
            header: t("bookings.actions"),
            cell: (g) =>
              button(
                t("gateways.rotate"),
                async () => {
                  if (!window.confirm(t("gateways.rotateConfirm", { id: g.id }))) return;
                  try {
                    showOnce(
                      await api.post<GatewayCredentials>(
                        `/gateways/${encodeURIComponent(g.id)}/rotate-secret`,
                      ),
                    );
                    messages.ok(t("gateways.rotated", { id: g.id }));
                  } catch (error) {
                    messages.error(error);
                  }
                },
                { "aria-label": t("gateways.rotateNamed", { id: g.id }) },
              ),
          },
        ],
        gateways,
        { "data-testid": "gateway-admin" },
      ),
    );
  }

  const id = input({ name: "gatewayId", required: true, pattern: "[a-z0-9][a-z0-9\\-]{0,62}" });
  const name = input({ name: "gatewayName", maxlength: 200 });
  const form = h(
    "form",
    {
      class: "card filters",
      "aria-label": t("gateways.provision"),
      onsubmit: async (event: Event) => {
        event.preventDefault();
        try {
          const credentials = await api.post<GatewayCredentials>(
            `/centres/${encodeURIComponent(centreId)}/gateways`,
            { id: id.value.trim(), ...(name.value.trim() ? { name: name.value.trim() } : {}) },
          );
          showOnce(credentials);
          onProvisioned(credentials.gateway);
          messages.ok(t("gateways.provisioned", { id: credentials.gateway.id }));
          id.value = "";
          name.value = "";
          await load();
        } catch (error) {
          messages.error(error);
        }
      },
    },
    field(t("gateways.newId"), id, t("gateways.newIdHint")),
    field(t("common.name"), name),
    field(t("gateways.brokerUrl"), brokerUrl, t("gateways.brokerUrlHint")),
    h("button", { type: "submit" }, t("gateways.provision")),
  );

  return {
    element: h(
      "section",
      { "aria-labelledby": "gateway-admin-heading" },
      h("h2", { id: "gateway-admin-heading" }, t("gateways.title")),
      messages.element,
      list,
      once,
      h("h3", {}, t("gateways.provision")),
      form,
    ),
    load,
  };
}
