import { describe, expect, it } from "vitest";
import { HttpProblem } from "../../../src/http/httpProblem.js";
import {
  parseInstant,
  parseQueryRange,
  parseSpan,
} from "../../../src/http/routes/views/instant.js";

/** The problem's errors when `work` throws one, else a failure. */
function problemOf(work: () => unknown): readonly { field: string; message: string }[] {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(HttpProblem);
    return (error as HttpProblem).errors ?? [];
  }
  throw new Error("expected a 400 problem");
}

describe("parseInstant (after the ZonedInstant pattern)", () => {
  it("reads an offset or Z as the instant it names", () => {
    expect(parseInstant("body/start", "2026-03-03T09:00+01:00")).toBe(
      Date.parse("2026-03-03T08:00:00Z"),
    );
    expect(parseInstant("body/start", "2026-03-03T08:00:00.250Z")).toBe(
      Date.parse("2026-03-03T08:00:00.250Z"),
    );
    expect(parseInstant("body/start", "2028-02-29T00:00:00Z")).toBe(
      Date.parse("2028-02-29T00:00:00Z"),
    );
  });

  it("refuses days a month does not have, naming the field", () => {
    for (const value of [
      "2026-02-29T09:00:00Z",
      "2026-02-30T09:00:00Z",
      "2026-04-31T09:00:00+02:00",
    ]) {
      expect(
        problemOf(() => parseInstant("querystring/from", value)),
        value,
      ).toEqual([{ field: "querystring/from", message: "is not a real date and time" }]);
    }
  });
});

describe("parseSpan and parseQueryRange", () => {
  it("returns both ends of a span whose end comes after its start", () => {
    expect(parseSpan("body/start", "2026-03-03T09:00Z", "body/end", "2026-03-03T10:00Z")).toEqual({
      start: Date.parse("2026-03-03T09:00Z"),
      end: Date.parse("2026-03-03T10:00Z"),
    });
  });

  it("refuses an empty or reversed span on the end's field, and a false date on its own", () => {
    expect(
      problemOf(() =>
        parseSpan("body/start", "2026-03-03T10:00Z", "body/end", "2026-03-03T10:00Z"),
      ),
    ).toEqual([{ field: "body/end", message: "must be after start" }]);
    expect(
      problemOf(() =>
        parseSpan("querystring/from", "2026-03-03T10:00Z", "querystring/to", "2026-03-03T09:00Z"),
      ),
    ).toEqual([{ field: "querystring/to", message: "must be after from" }]);
    expect(
      problemOf(() =>
        parseSpan("body/start", "2026-02-30T10:00Z", "body/end", "2026-03-03T09:00Z"),
      ).map((e) => e.field),
    ).toEqual(["body/start"]);
  });

  it("takes a query's optional ends alone or together, and checks their order", () => {
    expect(parseQueryRange({})).toEqual({});
    expect(parseQueryRange({ from: "2026-03-03T09:00Z" })).toEqual({
      from: Date.parse("2026-03-03T09:00Z"),
    });
    expect(parseQueryRange({ to: "2026-03-03T09:00Z" })).toEqual({
      to: Date.parse("2026-03-03T09:00Z"),
    });
    expect(
      problemOf(() => parseQueryRange({ from: "2026-03-03T09:00Z", to: "2026-03-03T08:00Z" })),
    ).toEqual([{ field: "querystring/to", message: "must be after from" }]);
    expect(problemOf(() => parseQueryRange({ to: "2026-06-31T09:00Z" }))).toEqual([
      { field: "querystring/to", message: "is not a real date and time" },
    ]);
  });
});
