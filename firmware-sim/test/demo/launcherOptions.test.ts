import { describe, expect, it } from "vitest";
import { parseLauncherOptions } from "../../src/demo/launcherOptions.js";

describe("npm start options", () => {
  it("has defaults a newcomer can run with", () => {
    const options = parseLauncherOptions([]);
    expect(options).toMatchObject({
      centres: 16,
      people: 120,
      speed: 30,
      seed: "passerelle",
      httpPort: 8080,
      mqttPort: 1883,
      readers: "in-process",
      vpcdPort: 35963,
      openingHours: "round-the-clock",
      help: false,
    });
    expect(options.dataDir).toMatch(/\.demo-data$/);
  });

  it("keeps declared opening hours when the day runs in real time", () => {
    expect(parseLauncherOptions(["--speed", "1"]).openingHours).toBe("declared");
    expect(parseLauncherOptions(["--opening-hours", "declared"]).openingHours).toBe("declared");
  });

  it("names the option that is wrong", () => {
    expect(() => parseLauncherOptions(["--centres", "40"])).toThrow(
      /--centres: expected a number from 1 to 16/,
    );
    expect(() => parseLauncherOptions(["--speed", "fast"])).toThrow(/--speed/);
    expect(() => parseLauncherOptions(["--readers", "usb"])).toThrow(/--readers: expected one of/);
    expect(() => parseLauncherOptions(["--day-start", "7h"])).toThrow(/--day-start/);
    expect(() => parseLauncherOptions(["--broker-url", "http://x"])).toThrow(/--broker-url/);
    expect(() => parseLauncherOptions(["--postgres-url", "mysql://x"])).toThrow(/--postgres-url/);
    expect(() => parseLauncherOptions(["--colour"])).toThrow(/colour/);
  });

  it("writes time series to its own influxd unless told otherwise", () => {
    expect(parseLauncherOptions([])).toMatchObject({ influxUrl: undefined, noInflux: false });
    expect(parseLauncherOptions(["--influx-url", "http://db:8086"]).influxUrl).toBe(
      "http://db:8086",
    );
    expect(parseLauncherOptions(["--no-influx"]).noInflux).toBe(true);
    expect(() => parseLauncherOptions(["--influx-url", "db:8086"])).toThrow(/--influx-url/);
    expect(() => parseLauncherOptions(["--influx-url", "http://db:8086", "--no-influx"])).toThrow(
      /contradict/,
    );
  });
});
