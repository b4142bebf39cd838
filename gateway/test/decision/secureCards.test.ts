import { describe, expect, it } from "vitest";
import { decide } from "../../src/decision/decide.js";
import { bundle, credential, hashOf, indexOf } from "./bundleFixtures.js";

const yearPass = {
  from: "2026-01-01T00:00:00.000Z",
  to: "2027-01-01T00:00:00.000Z",
  hours: "opening-hours" as const,
};
const tuesdayMorning = Date.parse("2026-03-03T09:00:00Z");

function ask(index: ReturnType<typeof indexOf>, uid: string, proof?: "uid" | "sun") {
  return decide(
    {
      credentialHash: hashOf(uid),
      doorId: "main",
      now: tuesdayMorning,
      clockTrusted: true,
      ...(proof ? { proof } : {}),
    },
    index,
  );
}

describe("SUN cards in the access decision", () => {
  const index = indexOf(
    bundle([
      credential("5A01", { passes: [yearPass], secureCard: true }),
      credential("0A01", { passes: [yearPass] }),
      credential("0A02", { passes: [{ ...yearPass, secureCardOnly: true }] }),
      credential("5F01", { staff: true, secureCard: true }),
    ]),
  );

  it("opens a secure card with a verified SUN and refuses its bare UID", () => {
    expect(ask(index, "5A01", "sun")).toMatchObject({ decision: "granted", reason: "pass" });
    expect(ask(index, "5A01", "uid")).toEqual({
      decision: "denied",
      reason: "credential.uid-only",
      member: "m-5A01",
    });
    expect(ask(index, "5A01")).toMatchObject({ reason: "credential.uid-only" });
    expect(ask(index, "5F01", "uid")).toMatchObject({ reason: "credential.uid-only" });
  });

  it("keeps plain UID cards working where nothing demands SUN", () => {
    expect(ask(index, "0A01", "uid")).toMatchObject({ decision: "granted", reason: "pass" });
  });

  it("refuses a bare UID on a pass that wants a secure card", () => {
    expect(ask(index, "0A02", "uid")).toMatchObject({
      decision: "denied",
      reason: "credential.uid-only",
    });
    expect(ask(index, "0A02", "sun")).toMatchObject({ decision: "granted", reason: "pass" });
  });

  it("refuses every bare UID at a centre where UID-only cards are refused", () => {
    const strict = bundle([credential("0A01", { passes: [yearPass] })]);
    const strictIndex = indexOf({
      ...strict,
      rules: { ...strict.rules, uidOnlyCardsRefused: true },
    });
    expect(ask(strictIndex, "0A01", "uid")).toMatchObject({ reason: "credential.uid-only" });
    expect(ask(strictIndex, "0A01", "sun")).toMatchObject({ decision: "granted" });
  });
});
