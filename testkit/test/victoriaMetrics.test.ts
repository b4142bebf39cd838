import { afterAll, describe, expect, it } from "vitest";
import { provideService, serviceOf } from "../src/index.js";

const victoria = await provideService("victoriaMetrics");

describe.skipIf(!victoria.available)("VictoriaMetrics", () => {
  afterAll(() => serviceOf(victoria).stop());

  it("takes line protocol on /api/v2/write and exports it back", async () => {
    const { url } = serviceOf(victoria);
    const write = await fetch(`${url}/api/v2/write?precision=ms`, {
      method: "POST",
      body: "testkit_probe,centre=c1 value=42i 1767225600000",
    });
    expect(write.status).toBe(204);
    await fetch(`${url}/internal/force_flush`);
    const exported = await fetch(
      `${url}/api/v1/export?match[]=${encodeURIComponent('{__name__="testkit_probe_value"}')}&start=0`,
    );
    const line = JSON.parse((await exported.text()).trim()) as {
      metric: Record<string, string>;
      values: number[];
      timestamps: number[];
    };
    expect(line.metric.centre).toBe("c1");
    expect(line.values).toEqual([42]);
    expect(line.timestamps).toEqual([1767225600000]);
  });
});
