import { describe, expect, it } from "vitest";
import { topicMatches } from "../../src/broker/mqttBus.js";

describe("topicMatches (MQTT 3.1.1 §4.7)", () => {
  it.each([
    ["a/b/c", "a/b/c", true],
    ["a/b/c", "a/b", false],
    ["a/+/c", "a/b/c", true],
    ["a/+/c", "a/b/d", false],
    ["a/+", "a/b/c", false],
    ["a/#", "a/b/c", true],
    ["a/#", "a", true], // [MQTT-4.7.1-2]: # also matches the parent level
    ["#", "a/b", true],
    ["+/+", "a/b", true],
    ["+", "$SYS", false], // [MQTT-4.7.2-1]
    ["#", "$SYS/x", false],
    ["$SYS/#", "$SYS/x", true],
    ["passerelle/v1/gw/+/bundle/request", "passerelle/v1/gw/g1/bundle/request", true],
    ["passerelle/v1/gw/+/bundle/request", "passerelle/v1/gw/g1/bundle", false],
    ["passerelle/v1/gw/+/bundle", "passerelle/v1/gw/g1/bundle/request", false],
  ])("%s matches %s: %s", (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });
});
