import { describe, expect, it } from "vitest";
import { HttpProblem } from "../../../src/http/httpProblem.js";
import { parseZonedTime } from "../../../src/http/routes/bookings/zonedTime.js";

describe("parseZonedTime (after the ZonedInstant pattern)", () => {
  it("reads an offset or Z as the instant it names", () => {
    expect(parseZonedTime("body/start", "2026-03-03T09:00+01:00")).toBe(
      Date.parse("2026-03-03T08:00:00Z"),
    );
    expect(parseZonedTime("body/start", "2026-03-03T08:00:00.250Z")).toBe(
      Date.parse("2026-03-03T08:00:00.250Z"),
    );
    expect(parseZonedTime("body/start", "2028-02-29T00:00:00Z")).toBe(
      Date.parse("2028-02-29T00:00:00Z"),
    );
  });

  it("refuses days a month does not have, naming the field", () => {
    for (const value of [
      "2026-02-29T09:00:00Z",
      "2026-02-30T09:00:00Z",
      "2026-04-31T09:00:00+02:00",
    ]) {
      let caught: unknown;
      try {
        parseZonedTime("querystring/from", value);
      } catch (error) {
        caught = error;
      }
      expect(caught, value).toBeInstanceOf(HttpProblem);
      expect((caught as HttpProblem).errors).toEqual([
        { field: "querystring/from", message: "is not a real date and time" },
      ]);
    }
  });
});
