import { describe, expect, it } from "vitest";
import { parseDeviceEvent } from "../../../src/hardware/sim/deviceEventParser.js";
import { parseSimEndpoint } from "../../../src/hardware/sim/socketDeviceLink.js";

describe("parseDeviceEvent", () => {
  it("accepts each event of the wire format", () => {
    const lines = [
      { event: "attached", device: "r", kind: "reader" },
      { event: "badge", device: "r", uid: "04a1b2c3d4e5f6", at: 1 },
      { event: "reader-status", device: "r", state: "error", error: "x" },
      { event: "input", device: "c", active: true, at: 2 },
      { event: "lock", device: "l", unlocked: null },
      { event: "error", message: "nope" },
    ];
    for (const line of lines) expect(parseDeviceEvent(JSON.stringify(line))).toEqual(line);
  });

  it("refuses malformed lines with a reason instead of throwing", () => {
    expect(parseDeviceEvent("{")).toEqual({ invalid: "not JSON" });
    expect(parseDeviceEvent("[]")).toEqual({ invalid: "not a JSON object" });
    expect(parseDeviceEvent('{"event":"badge","uid":"0102"}')).toEqual({
      invalid: "missing device",
    });
    expect(parseDeviceEvent('{"event":"badge","device":"r","uid":"xyz","at":1}')).toEqual({
      invalid: "malformed badge event",
    });
    expect(parseDeviceEvent('{"event":"input","device":"c","active":"yes","at":1}')).toEqual({
      invalid: "malformed input event",
    });
    expect(parseDeviceEvent('{"event":"boom","device":"c"}')).toEqual({
      invalid: 'unknown event "boom"',
    });
  });
});

describe("parseSimEndpoint", () => {
  it("reads unix and tcp endpoints", () => {
    expect(parseSimEndpoint("unix:/run/sim.sock")).toEqual({ path: "/run/sim.sock" });
    expect(parseSimEndpoint("tcp://127.0.0.1:7399")).toEqual({ host: "127.0.0.1", port: 7399 });
    expect(parseSimEndpoint("tcp://[::1]:80")).toEqual({ host: "::1", port: 80 });
  });

  it("refuses anything else with a config error", () => {
    for (const bad of [
      "unix:",
      "tcp://host",
      "tcp://h:0",
      "tcp://h:70000",
      "http://h:1",
      "/run/x.sock",
    ]) {
      expect(() => parseSimEndpoint(bad)).toThrow(/expected unix:\/path or tcp:\/\/host:port/);
    }
  });
});
