import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { csvCell, csvRecord, freeText } from "../../src/csv/csvRecord.js";
import type { HoursReport } from "../../src/hours/monthReports.js";
import { hoursCsv } from "../../src/http/routes/hours/hoursCsv.js";

/* Findings 8, 9 and 10 of issue 13: what third-party tools read in our files. */

const unit = new URL("../../../deploy/gateway/passerelle-gateway.service", import.meta.url);

/** The keys of each [Section] of a systemd unit. */
function unitSections(text: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current = "";
  for (const line of text.split("\n")) {
    const header = /^\[(\w+)\]\s*$/.exec(line);
    if (header) {
      current = header[1] as string;
      sections.set(current, []);
    } else if (/^[A-Za-z]+=/.test(line)) sections.get(current)?.push(line.split("=")[0] as string);
  }
  return sections;
}

it("puts StartLimitIntervalSec in the gateway unit's [Unit] section, where systemd reads it", async () => {
  const sections = unitSections(await readFile(unit, "utf8"));
  expect(sections.get("Unit")).toContain("StartLimitIntervalSec");
  expect(sections.get("Service")).not.toContain("StartLimitIntervalSec");
});

it("writes a credential hash starting with - verbatim, and guards free text only", () => {
  expect(csvRecord(["-_E7GkQ2xYz", freeText("-_E7GkQ2xYz"), "=1+1"])).toBe(
    "-_E7GkQ2xYz,'-_E7GkQ2xYz,=1+1\r\n",
  );
  expect(csvCell(freeText("@boss"))).toBe("'@boss");
});

it("keeps month totals and day rows in separate hours tables (summing minutes counts once)", () => {
  const report: HoursReport = {
    month: "2026-03" as HoursReport["month"],
    status: "open" as HoursReport["status"],
    provisional: true,
    contentHash: null,
    lines: [
      {
        centreId: "redu",
        memberId: "m1",
        sessionCount: 2,
        sessionMinutes: 300,
        lateMinutes: 15,
        minutes: 315,
      },
    ],
    days: [
      { centreId: "redu", memberId: "m1", date: "2026-03-02", sessionCount: 1, minutes: 120 },
      { centreId: "redu", memberId: "m1", date: "2026-03-03", sessionCount: 1, minutes: 180 },
    ],
  };
  const sum = (csv: string, column: string) => {
    const [header, ...rows] = csv
      .trim()
      .split("\r\n")
      .map((line) => line.split(","));
    const at = (header ?? []).indexOf(column);
    return rows.reduce((total, row) => total + Number(row[at]), 0);
  };
  const months = hoursCsv(report, false);
  const days = hoursCsv(report, true);
  expect(months.split("\r\n")[0]).toBe(
    "month,status,centre_id,member_id,sessions,session_minutes,late_minutes,minutes",
  );
  expect(days.split("\r\n")[0]).toBe("month,status,centre_id,member_id,date,sessions,minutes");
  expect(sum(months, "minutes")).toBe(315);
  expect(sum(days, "minutes")).toBe(300);
  expect(sum(days, "minutes")).toBe(sum(months, "session_minutes"));
});
