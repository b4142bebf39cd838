import type { Counter, Gauge, Registry } from "prom-client";
import { counterIn, gaugeIn } from "./metricRegistry.js";

export interface BrokerMetrics {
  authFailures: Counter<"reason">;
  publishRefused: Counter<"reason">;
  subscribeRefused: Counter<"reason">;
  connected: Gauge;
  /** Connections closed by a byte cap or the per-address connection rate (brokerLimits.ts). */
  connectionsCut: Counter<"reason">;
}

/** Refusals by reason; no gateway label, so a misbehaving fleet cannot explode the series. */
export function brokerMetrics(registry: Registry): BrokerMetrics {
  return {
    authFailures: counterIn(
      registry,
      "passerelle_mqtt_auth_failures_total",
      "Broker logins refused, by reason",
      ["reason"],
    ),
    publishRefused: counterIn(
      registry,
      "passerelle_mqtt_publish_refused_total",
      "Publishes refused by the topic ACL, by reason",
      ["reason"],
    ),
    subscribeRefused: counterIn(
      registry,
      "passerelle_mqtt_subscribe_refused_total",
      "Subscriptions refused by the topic ACL, by reason",
      ["reason"],
    ),
    connectionsCut: counterIn(
      registry,
      "passerelle_mqtt_connections_cut_total",
      "Connections closed by a byte cap or the connection rate limit, by reason",
      ["reason"],
    ),
    connected: gaugeIn(registry, "passerelle_mqtt_clients_connected", "Clients connected"),
  };
}
