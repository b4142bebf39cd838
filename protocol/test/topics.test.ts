import { describe, expect, it } from "vitest";
import {
  allGatewaysFilter,
  gatewaySubtree,
  type MessageKind,
  messageKinds,
  ProtocolError,
  parseTopic,
  topicFor,
} from "../src/index.js";

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof ProtocolError ? error.code : "not-a-protocol-error";
  }
  return undefined;
}

describe("topics", () => {
  it("builds and parses back every message kind", () => {
    for (const kind of Object.keys(messageKinds) as MessageKind[]) {
      const topic = topicFor("redu-1", kind);
      expect(topic.startsWith("passerelle/v1/gw/redu-1/")).toBe(true);
      expect(parseTopic(topic)).toEqual({ gatewayId: "redu-1", kind });
    }
  });

  it("uses the contract's paths (protocol/README.md, Topics)", () => {
    expect(topicFor("g1", "bundleRequest")).toBe("passerelle/v1/gw/g1/bundle/request");
    expect(topicFor("g1", "bundleDelta")).toBe("passerelle/v1/gw/g1/bundle/delta");
    expect(topicFor("g1", "command")).toBe("passerelle/v1/gw/g1/cmd");
    expect(gatewaySubtree("g1")).toBe("passerelle/v1/gw/g1/#");
    expect(allGatewaysFilter("events")).toBe("passerelle/v1/gw/+/events");
  });

  it("honours another base topic", () => {
    const topic = topicFor("g1", "ack", "coop/test");
    expect(topic).toBe("coop/test/gw/g1/ack");
    expect(parseTopic(topic, { base: "coop/test" }).kind).toBe("ack");
    expect(codeOf(() => parseTopic(topic))).toBe("topic.invalid");
  });

  it("refuses wildcards", () => {
    expect(codeOf(() => parseTopic("passerelle/v1/gw/+/events"))).toBe("topic.wildcard");
    expect(codeOf(() => parseTopic("passerelle/v1/gw/g1/#"))).toBe("topic.wildcard");
  });

  it("refuses another gateway's topic when the expected id is given", () => {
    expect(
      codeOf(() => parseTopic("passerelle/v1/gw/g2/events", { expectedGatewayId: "g1" })),
    ).toBe("topic.foreign-gateway");
    expect(parseTopic("passerelle/v1/gw/g1/events", { expectedGatewayId: "g1" }).kind).toBe(
      "events",
    );
  });

  it("refuses unknown kinds, bad ids and foreign prefixes", () => {
    for (const topic of [
      "passerelle/v1/gw/g1/unknown",
      "passerelle/v1/gw/g1",
      "passerelle/v1/gw/G1/events",
      "passerelle/v1/gw//events",
      "passerelle/v1/gw/g1/events/extra",
      "other/v1/gw/g1/events",
      `passerelle/v1/gw/${"a".repeat(65)}/events`,
    ]) {
      expect(
        codeOf(() => parseTopic(topic)),
        topic,
      ).toBe("topic.invalid");
    }
    expect(codeOf(() => topicFor("bad/id", "events"))).toBe("topic.invalid");
  });
});
