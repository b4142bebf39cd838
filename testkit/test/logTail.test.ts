import { describe, expect, it } from "vitest";
import { LogTail } from "../src/logTail.js";

describe("LogTail", () => {
  it("keeps the last lines of both streams, partial lines included", () => {
    const tail = new LogTail(2);
    tail.append("stderr", "one\ntwo\nthr");
    tail.append("stderr", "ee\nfou");
    tail.append("stdout", "out\n");
    expect(tail.text()).toBe("three\nout\nfou");
  });
});
