import { expect, it } from "vitest";
import { auditCsvLine } from "../../src/audit/auditCsv.js";
import { csvCell as csvField, freeText } from "../../src/csv/csvRecord.js";

it("quotes a field holding a comma, a quote, CR or LF, doubling its quotes (RFC 4180 §2)", () => {
  expect(csvField("plain")).toBe("plain");
  expect(csvField("a,b")).toBe('"a,b"');
  expect(csvField('say "hi"')).toBe('"say ""hi"""');
  expect(csvField("two\nlines")).toBe('"two\nlines"');
  expect(csvField("cr\r")).toBe('"cr\r"');
  expect(csvField(null)).toBe("");
  expect(csvField(42)).toBe("42");
});

it("keeps a free-text cell that a spreadsheet would run as a formula as text", () => {
  expect(csvField(freeText('=HYPERLINK("http://evil")'))).toBe('"\'=HYPERLINK(""http://evil"")"');
  expect(csvField(freeText("+32 470"))).toBe("'+32 470");
  expect(csvField(freeText("-1+1"))).toBe("'-1+1");
  expect(csvField(freeText("@SUM(A1)"))).toBe("'@SUM(A1)");
  expect(csvField(freeText("\tcmd"))).toBe("'\tcmd");
  expect(csvField(freeText(null))).toBe("");
  // Numbers are ours (ids), never formulas.
  expect(csvField(-1)).toBe("-1");
});

it("writes ids and hashes verbatim, even one starting with - (base64url)", () => {
  expect(csvField("-_E7GkQ2")).toBe("-_E7GkQ2");
  expect(csvField("=not-text-but-an-id")).toBe("=not-text-but-an-id");
});

it("writes one entry as one CRLF-terminated record with every column", () => {
  const line = auditCsvLine({
    id: 7,
    at: Date.parse("2026-03-03T09:00:00Z"),
    actor: "=cmd|' /C calc'!A0",
    action: "member.update",
    subject: "member:m1",
    centre_id: "redu",
    member_id: "m1",
    door_id: null,
    outcome: null,
    detail: '{"changed":["name","email"]}',
    prev_hash: "a".repeat(64),
    hash: "b".repeat(64),
  });
  expect(line).toBe(
    `7,2026-03-03T09:00:00.000Z,'=cmd|' /C calc'!A0,member.update,member:m1,redu,m1,,,"{""changed"":[""name"",""email""]}",${"a".repeat(64)},${"b".repeat(64)}\r\n`,
  );
});
