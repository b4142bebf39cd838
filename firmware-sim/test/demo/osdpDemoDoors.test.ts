import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pickCentres } from "../../src/demo/demoNetwork.js";
import { osdpDemoCentres, startOsdpEntrance } from "../../src/demo/osdpEntrances.js";
import { DeviceHub } from "../../src/devices/deviceHub.js";
import { addEntrance } from "../../src/doors/simulatedEntrance.js";

const repo = new URL("../../../", import.meta.url).pathname;

async function until(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("OSDP readers at demo doors", () => {
  it("keeps the simulated reader, and says why, when socat is missing", async () => {
    const entrance = addEntrance(new DeviceHub(), "saint-leger", "exit-button");
    const started = await startOsdpEntrance("saint-leger", entrance, tmpdir(), ["/nowhere/socat"]);
    expect(started).toEqual({ ok: false, reason: "socat is not installed" });
  });

  it("starts the demo with an OSDP entrance reader in secure channel at saint-leger", {
    timeout: 240_000,
  }, async () => {
    // `--centres 2` takes louvain-la-neuve and saint-leger: one simulated reader, one OSDP.
    expect(pickCentres(2).map((c) => c.id)).toEqual(["louvain-la-neuve", "saint-leger"]);
    expect(osdpDemoCentres).toContain("saint-leger");
    const dataDir = mkdtempSync(join(tmpdir(), "demo-osdp-"));
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const launcher = spawn(
      process.execPath,
      [
        "--conditions=source",
        "--import",
        "tsx",
        "firmware-sim/src/demo/launcher.ts",
        ...["--centres", "2", "--people", "4", "--no-influx", "--data-dir", dataDir],
        ...["--http-port", `${port}`, "--mqtt-port", `${port + 1}`, "--device-port", `${port + 2}`],
      ],
      { cwd: repo, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    launcher.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    launcher.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => launcher.once("exit", resolve));
    try {
      await until(
        () => output.includes("demo network is running"),
        `the banner\n${output}`,
        180_000,
      );
      expect(output).toContain("saint-leger: the entrance reader is an OSDP reader");
      const gateways = join(dataDir, "gateways");
      const readerOf = (gatewayId: string) =>
        JSON.parse(readFileSync(join(gateways, gatewayId, "gateway.json"), "utf8")).hardware.reader;
      expect(readerOf("saint-leger-gw-1")).toMatchObject({ adapter: "osdp", address: 1 });
      expect(readerOf("louvain-la-neuve-gw-1")).toMatchObject({ adapter: "sim" });
      const log = join(gateways, "saint-leger-gw-1.log");
      await until(
        () => existsSync(log) && readFileSync(log, "utf8").includes('"state":"secure"'),
        "the OSDP reader in secure channel",
        30_000,
      );
    } finally {
      launcher.kill("SIGINT");
      expect(await exited).toBe(0);
    }
  });
});
