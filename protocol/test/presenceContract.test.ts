import { describe, expect, it } from "vitest";
import {
  type Door,
  decodeMessage,
  encodeMessage,
  eventTypes,
  type FullBundle,
  limits,
  openBundle,
  ProtocolError,
  signFullBundle,
  uuidv7,
} from "../src/index.js";
import { fullBundle, makeSigner, t0 } from "./fixtures.js";

const signer = makeSigner();
const options = { trustedKeys: signer.trustedKeys, heldVersion: 6, now: t0, centre: "redu" };
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

function code(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ProtocolError) return error.code;
    throw error;
  }
  return "accepted";
}

describe("presence contract (exits, headcount)", () => {
  it("carries each door's exit kind through a signed bundle, and a door without one", () => {
    const doors: Door[] = [
      { id: "main", name: "Entrée", direction: "both", zones: [], exitKind: "exit-reader" },
      { id: "side", name: "Côté", direction: "in", zones: [], exitKind: "exit-button" },
      { id: "back", name: "Arrière", direction: "in", zones: [], exitKind: "free-egress" },
      { id: "old", name: "Ancienne", direction: "in", zones: [] },
    ];
    const opened = openBundle(signFullBundle(fullBundle(1, { doors }), signer.privateKey), options);
    expect((opened as FullBundle).doors).toEqual(doors);
  });

  it("refuses an unknown exit kind", () => {
    const doors = [
      { id: "main", name: "Entrée", direction: "both", zones: [], exitKind: "window" },
    ] as unknown as Door[];
    expect(
      code(() => openBundle(signFullBundle(fullBundle(1, { doors }), signer.privateKey), options)),
    ).toBe("payload.schema");
  });

  it("accepts an anonymous door.exit event: no member, no credential", () => {
    expect(eventTypes).toContain("door.exit");
    const batch = {
      events: [
        {
          id: uuidv7(),
          seq: 7,
          time: "2026-11-23T12:00:00.000Z",
          type: "door.exit" as const,
          centre: "redu",
          door: "main",
          direction: "out" as const,
          detail: "exit-button",
        },
      ],
    };
    expect(decodeMessage("events", encodeMessage("events", batch))).toEqual(batch);
  });

  it("carries headcount, attributed and members in an occupancy sample, and old samples without", () => {
    const sample = {
      time: "2026-11-23T12:00:00.000Z",
      centre: "redu",
      inside: 3,
      headcount: 3,
      attributed: 2,
      members: ["m-1", "m-2"],
      zones: [{ zone: "open-space", inside: 2 }],
    };
    expect(decodeMessage("occupancy", bytes(sample))).toEqual(sample);
    const { headcount: _h, attributed: _a, members: _m, ...older } = sample;
    expect(decodeMessage("occupancy", bytes(older))).toEqual(older);
    expect(code(() => decodeMessage("occupancy", bytes({ ...sample, headcount: -1 })))).toBe(
      "payload.schema",
    );
    const tooMany = Array.from(
      { length: limits.membersPerOccupancySample + 1 },
      (_, i) => `m-${i}`,
    );
    expect(code(() => decodeMessage("occupancy", bytes({ ...sample, members: tooMany })))).toBe(
      "payload.schema",
    );
  });
});
