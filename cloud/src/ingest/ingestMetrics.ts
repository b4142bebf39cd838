import type { Counter, Histogram, Registry } from "prom-client";
import { counterIn, histogramIn } from "../broker/metricRegistry.js";

export interface IngestMetrics {
  messages: Counter<"kind">;
  rejected: Counter<"kind" | "reason">;
  eventsStored: Counter;
  eventsDuplicate: Counter;
  storeFailures: Counter;
  acks: Counter;
  ackFailures: Counter;
  seqGaps: Counter;
  commitSeconds: Histogram;
}

export function ingestMetrics(registry: Registry): IngestMetrics {
  return {
    messages: counterIn(
      registry,
      "passerelle_ingest_messages_total",
      "MQTT messages received from gateways, by kind",
      ["kind"],
    ),
    rejected: counterIn(
      registry,
      "passerelle_ingest_rejected_total",
      "Messages dropped (invalid payload, unknown gateway, foreign centre), by kind and reason",
      ["kind", "reason"],
    ),
    eventsStored: counterIn(registry, "passerelle_ingest_events_stored_total", "Events stored"),
    eventsDuplicate: counterIn(
      registry,
      "passerelle_ingest_events_duplicate_total",
      "Events received again and skipped (already stored)",
    ),
    storeFailures: counterIn(
      registry,
      "passerelle_ingest_store_failures_total",
      "Event commits that failed (the gateways re-send, nothing is acked)",
    ),
    acks: counterIn(registry, "passerelle_ingest_acks_total", "Application acks published"),
    ackFailures: counterIn(
      registry,
      "passerelle_ingest_ack_failures_total",
      "Application acks that could not be published (the gateway re-sends, then is acked)",
    ),
    seqGaps: counterIn(
      registry,
      "passerelle_ingest_seq_gaps_total",
      "Batches starting past the last acked seq + 1 of their gateway",
    ),
    commitSeconds: histogramIn(
      registry,
      "passerelle_ingest_commit_seconds",
      "Duration of one event commit (all batches collected in one transaction)",
      [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    ),
  };
}
