import { topicFor } from "@passerelle/protocol";
import { describe, expect, it } from "vitest";
import {
  type BrokerPrincipal,
  clientIdVerdict,
  publishVerdict,
  subscribeVerdict,
} from "../../src/broker/topicAccess.js";

const gwA: BrokerPrincipal = { kind: "gateway", gatewayId: "gw-a", centreId: "redu" };
const service: BrokerPrincipal = { kind: "service", username: "passerelle-cloud" };

describe("publishVerdict", () => {
  it.each(["status", "events", "occupancy", "bundleRequest"] as const)(
    "lets a gateway publish its own %s",
    (kind) => {
      expect(publishVerdict(gwA, topicFor("gw-a", kind), kind === "status")).toEqual({
        allowed: true,
      });
    },
  );

  it("refuses another gateway's topics", () => {
    expect(publishVerdict(gwA, topicFor("gw-b", "events"), false)).toEqual({
      allowed: false,
      reason: "foreign-gateway",
    });
  });

  it.each(["bundle", "bundleDelta", "ack", "command"] as const)(
    "refuses a gateway publishing the cloud's %s, even on its own subtree",
    (kind) => {
      expect(publishVerdict(gwA, topicFor("gw-a", kind), false)).toEqual({
        allowed: false,
        reason: "wrong-direction",
      });
    },
  );

  it("keeps the retained store to statuses", () => {
    expect(publishVerdict(gwA, topicFor("gw-a", "events"), true)).toEqual({
      allowed: false,
      reason: "retain-not-allowed",
    });
  });

  it("refuses topics outside the contract", () => {
    for (const topic of [
      "passerelle/v1/gw/gw-a/other",
      "elsewhere",
      "$SYS/broker/x",
      "passerelle/v1/gw/gw-a",
    ]) {
      expect(publishVerdict(gwA, topic, false)).toEqual({
        allowed: false,
        reason: "not-a-contract-topic",
      });
    }
  });

  it("lets the service publish under the base topic only", () => {
    expect(publishVerdict(service, topicFor("gw-b", "bundle"), true).allowed).toBe(true);
    expect(publishVerdict(service, "other/topic", false)).toEqual({
      allowed: false,
      reason: "outside-base",
    });
  });

  it("honours a configured base topic", () => {
    const base = "tenant-x/v1";
    expect(publishVerdict(gwA, topicFor("gw-a", "events", base), false, base).allowed).toBe(true);
    expect(publishVerdict(gwA, topicFor("gw-a", "events"), false, base).allowed).toBe(false);
  });
});

describe("subscribeVerdict", () => {
  it.each(["bundle", "bundleDelta", "ack", "command"] as const)(
    "lets a gateway subscribe to its own %s",
    (kind) => {
      expect(subscribeVerdict(gwA, topicFor("gw-a", kind))).toEqual({ allowed: true });
    },
  );

  it("refuses another gateway's topics and every wildcard", () => {
    expect(subscribeVerdict(gwA, topicFor("gw-b", "ack"))).toEqual({
      allowed: false,
      reason: "foreign-gateway",
    });
    for (const filter of [
      "#",
      "passerelle/v1/#",
      "passerelle/v1/gw/+/ack",
      "passerelle/v1/gw/gw-a/#",
    ]) {
      expect(subscribeVerdict(gwA, filter)).toEqual({ allowed: false, reason: "wildcard" });
    }
  });

  it("refuses a gateway listening to what gateways send (another's events, its own status)", () => {
    expect(subscribeVerdict(gwA, topicFor("gw-a", "status"))).toEqual({
      allowed: false,
      reason: "wrong-direction",
    });
  });

  it("lets the service subscribe to everything under the base topic, wildcards included", () => {
    expect(subscribeVerdict(service, "passerelle/v1/gw/+/events").allowed).toBe(true);
    expect(subscribeVerdict(service, "passerelle/v1/#").allowed).toBe(true);
    expect(subscribeVerdict(service, "#")).toEqual({ allowed: false, reason: "outside-base" });
  });
});

describe("clientIdVerdict", () => {
  it("binds a gateway to gw-{its id} and its colon-suffixed variants", () => {
    expect(clientIdVerdict(gwA, "gw-gw-a").allowed).toBe(true);
    expect(clientIdVerdict(gwA, "gw-gw-a:diagnostics").allowed).toBe(true);
    expect(clientIdVerdict(gwA, "gw-gw-b").allowed).toBe(false);
    expect(clientIdVerdict(gwA, "gw-gw-a-2").allowed).toBe(false);
    expect(clientIdVerdict(gwA, "passerelle-cloud-1").allowed).toBe(false);
  });

  it("keeps the service off gateway client ids, so it cannot knock a gateway off either", () => {
    expect(clientIdVerdict(service, "passerelle-cloud-1").allowed).toBe(true);
    expect(clientIdVerdict(service, "gw-gw-a").allowed).toBe(false);
  });
});
