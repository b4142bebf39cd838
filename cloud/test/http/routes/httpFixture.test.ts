import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCloud, type TestCloud } from "../../support/httpFixture.js";

describe("the shared HTTP test fixture", () => {
  let t: TestCloud;
  beforeAll(async () => {
    t = await startTestCloud();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("logs in one person per role, each with the roles the fixture promises", async () => {
    const me = async (token: string) => (await t.call("GET", "/me", { token })).body;
    expect(await me(t.tokens.coordinator)).toMatchObject({ coordinator: true, managerOf: [] });
    expect(await me(t.tokens.manager)).toMatchObject({ managerOf: [t.ids.centre] });
    expect(await me(t.tokens.otherManager)).toMatchObject({ managerOf: [t.ids.otherCentre] });
    expect(await me(t.tokens.worker)).toMatchObject({ memberId: t.ids.workerMemberId });
    expect(await me(t.tokens.otherWorker)).toMatchObject({
      memberId: t.ids.otherWorkerMemberId,
    });
  });

  it("keeps the cloud's log lines", () => {
    expect(t.logLines().some((line) => line.includes("cloud started"))).toBe(true);
  });
});
