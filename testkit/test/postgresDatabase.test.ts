import { describe, expect, it } from "vitest";
import { withDatabase } from "../src/postgresDatabase.js";

describe("withDatabase", () => {
  it("keeps server, credentials and parameters", () => {
    expect(withDatabase("postgresql://u:p@db:5433/postgres?sslmode=disable", "t1")).toBe(
      "postgresql://u:p@db:5433/t1?sslmode=disable",
    );
    expect(withDatabase("postgres://u@db", "t2")).toBe("postgres://u@db/t2");
  });
});
