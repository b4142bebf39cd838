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
    ["security", "csv"],
    "store",
    "domain",
    ["audit", "reservations", "calendar"],
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
 * can change without touching it. `logger`, `badgeFlow` and `gatewayParts` are the names from
 * before the gateway's own refactor of issue 12 (they become core/ and access/).
 */
export const gatewayLayers: PackageLayers = {
  root: "gateway/src",
  layers: [
    ["core", "logger"],
    ["persistence", "config"],
    ["decision", "hardware"],
    [
      "access",
      "badgeFlow",
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
    "gatewayParts",
    "createPorts",
    "defaultParts",
    "gatewayApp",
    "main",
    "index",
  ],
};

/**
 * Imports that point the wrong way today and are being removed (the gateway's refactor of issue
 * 12). The check fails on any violation NOT listed here; delete a line once it is fixed, and
 * never add one.
 */
export const knownViolations: readonly string[] = [
  'gateway/src/doorControl/doorController.ts: imports "../gatewayParts.js" (doorControl → gatewayParts: higher layer)',
  'gateway/src/eventOutbox/eventOutbox.ts: imports "../gatewayParts.js" (eventOutbox → gatewayParts: higher layer)',
  'gateway/src/hardware/pcsc/pcscBadgeReader.ts: imports "../../mqtt/reconnectBackoff.js" (hardware → mqtt: higher layer)',
  'gateway/src/hardware/serialRelay/serialRelayPort.ts: imports "../../mqtt/reconnectBackoff.js" (hardware → mqtt: higher layer)',
  'gateway/src/hardware/sim/socketDeviceLink.ts: imports "../../mqtt/reconnectBackoff.js" (hardware → mqtt: higher layer)',
  'gateway/src/occupancy/occupancyReporter.ts: imports "../gatewayParts.js" (occupancy → gatewayParts: higher layer)',
  'gateway/src/hardware/sim/simDeviceLink.ts: imports "@passerelle/firmware-sim" (package gateway may not import firmware-sim)',
];

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
