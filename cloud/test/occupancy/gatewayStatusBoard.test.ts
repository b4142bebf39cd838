import { describe, expect, it } from "vitest";
import { type GatewayState, GatewayStatusBoard } from "../../src/occupancy/gatewayStatusBoard.js";
import { onlineStatus } from "../mocks/gatewayMessages.js";

const at = Date.parse("2026-03-02T09:00:00Z");

describe("GatewayStatusBoard", () => {
  it("records online health, and keeps the last known health when the will says offline", () => {
    const board = new GatewayStatusBoard();
    const changes: GatewayState[] = [];
    board.on("change", (s) => changes.push(s));
    board.record(
      { gatewayId: "gw-a", centreId: "redu" },
      onlineStatus("redu", {
        clock: { trusted: false, lastTrustedTime: null },
        outbox: { depth: 42, capacity: 100, full: false, droppedSamples: 0, quarantined: 2 },
      }),
      at,
    );
    expect(board.get("gw-a")).toMatchObject({
      online: true,
      clockTrusted: false,
      outboxDepth: 42,
      outboxQuarantined: 2,
      bundleVersion: 12,
      receivedAt: "2026-03-02T09:00:00.000Z",
    });
    board.record({ gatewayId: "gw-a", centreId: "redu" }, { state: "offline" }, at + 60_000);
    expect(board.get("gw-a")).toMatchObject({
      online: false,
      outboxDepth: 42,
      outboxQuarantined: 2,
      bundleVersion: 12,
      receivedAt: "2026-03-02T09:01:00.000Z",
    });
    expect(changes.map((c) => c.online)).toEqual([true, false]);
  });

  it("says nothing it does not know about a gateway first seen offline", () => {
    const board = new GatewayStatusBoard();
    board.record({ gatewayId: "gw-b", centreId: "namur" }, { state: "offline" }, at);
    expect(board.get("gw-b")).toMatchObject({ online: false, software: null, clockTrusted: null });
  });

  it("lists every gateway or those of given centres", () => {
    const board = new GatewayStatusBoard();
    board.record({ gatewayId: "gw-r", centreId: "redu" }, onlineStatus("redu"), at);
    board.record({ gatewayId: "gw-n", centreId: "namur" }, onlineStatus("namur"), at);
    expect(board.list().map((s) => s.gatewayId)).toEqual(["gw-n", "gw-r"]);
    expect(board.list(["redu"]).map((s) => s.gatewayId)).toEqual(["gw-r"]);
  });
});
