import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { contractDoc } from "../scripts/contractDoc.js";

describe("protocol/README.md", () => {
  it("is the document generated from the current schemas (run `npm run docs -w protocol`)", () => {
    expect(readFileSync(new URL("../README.md", import.meta.url), "utf8")).toBe(contractDoc());
  });
});
