/*
 * The import directions the build enforces (importDirection.test.ts). Edit these lists when a
 * folder or a package is added: a layer may import its own folder and any layer listed BEFORE it,
 * never one after it. Layers sharing a row (an array) are peers: they may not import each other.
 * The why of each order is in docs/architecture.md "Layers of cloud/src".
 */

export interface PackageLayers {
  /** Source root, relative to the repository root. */
  readonly root: string;
  /** Bottom first. A string is one folder (or top-level file without ".ts"), an array is peers. */
  readonly layers: readonly (string | readonly string[])[];
}

export const cloudLayers: PackageLayers = {
  root: "cloud/src",
  layers: [
    // Interfaces the store side implements and the payloads of the bus: plain types.
    "ports",
    // The typed event bus and the Feature interface.
    "bus",
    ["security", "csv", "mail"],
    "store",
    "domain",
    ["audit", "reservations", "calendar", "accounts"],
    // The access log's queries (the write side is adapters/accessEventStore.ts).
    "events",
    "hours",
    // The MQTT side, bottom first: transport, in-memory boards, bundles, the ingest that feeds both.
    "broker",
    "occupancy",
    "bundles",
    "ingest",
    // Store-backed implementations of ports/ (they may use domain/ and audit/).
    "adapters",
    // Time-series writer: clients, queue, points from the boards' payloads and the store.
    "timeseries",
    // Archive runs, retention, backup and restore of a data directory: the operator CLI's.
    "housekeeping",
    // Several instances on one PostgreSQL: LISTEN/NOTIFY relay of the bus (docs/scale.md).
    "cluster",
    "http",
    // The MQTT assembly, beside server.ts: the only place broker, ingest and bundles meet.
    "cloudMqtt",
    "features",
    "server",
    "cli",
    "index",
  ],
};

/**
 * The gateway's folders (docs/gateway.md, folder levels), kept apart from the cloud's list so it
 * can change without touching it.
 */
export const gatewayLayers: PackageLayers = {
  root: "gateway/src",
  layers: [
    "core",
    ["persistence", "config"],
    ["decision", "hardware"],
    // What a presented card proves (SUN cards), before the badge flow decides.
    "credentials",
    [
      "access",
      "bundleStore",
      "clockGuard",
      "commands",
      "doorControl",
      "eventOutbox",
      "occupancy",
      "status",
      "mqtt",
    ],
    "features",
    "createPorts",
    "defaultParts",
    "gatewayApp",
    "main",
    "index",
  ],
};

/**
 * Which workspace package's src/ may import which (from each package.json's dependencies, not
 * devDependencies: tests may use testkit and the simulator). protocol is at the bottom; the
 * console is a browser app that may take types only (checked by its own build).
 */
export const packageImports: Readonly<Record<string, readonly string[]>> = {
  protocol: [],
  testkit: ["protocol"],
  gateway: ["protocol"],
  cloud: ["protocol"],
  // The demo launcher (src/demo) writes Mosquitto password entries with testkit's helper:
  // firmware-sim is a dev-only package, never deployed, and testkit is below it.
  "firmware-sim": ["protocol", "testkit", "gateway", "cloud"],
  // Types only (import type): the browser bundle carries none of their code.
  console: ["protocol", "cloud"],
  dashboards: [],
};
