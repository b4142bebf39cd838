import { afterAll, beforeAll, expect, it } from "vitest";
import { badgeUidPattern } from "../../src/http/routes/badges/badgeUidPattern.js";
import { describeCloudOnEngines } from "../support/cloudEngines.js";
import type { TestCloud } from "../support/httpFixture.js";
import { provideEngines } from "../support/storeEngines.js";

/*
 * Members and passes (issue 16 part 4) over HTTP on SQLite and PostgreSQL: a badge shows its
 * UID's last four hex digits and who issued and revoked it; members come from a CSV file with
 * a preview, per-line errors, and nothing written until a clean import.
 */
const engines = await provideEngines();
afterAll(async () => {
  for (const engine of engines) await engine.cleanup();
});

it("the badge UID pattern is valid for browsers (v flag) and the API (u flag)", () => {
  for (const flags of ["u", "v"]) {
    const anchored = new RegExp(`^(?:${badgeUidPattern})$`, flags);
    for (const good of ["04A1B2C3", "04:a1:b2:c3", "04 A1 B2", "04-A1-B2"])
      expect(anchored.test(good), `${good} /${flags}`).toBe(true);
    for (const bad of ["", "04:", ":04", "zz", "04::A1", "04A1G2"])
      expect(anchored.test(bad), `${bad} /${flags}`).toBe(false);
  }
});

describeCloudOnEngines(engines, "members, badges and the CSV import", (start) => {
  let t: TestCloud;
  beforeAll(async () => {
    t = await start();
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  const members = async () =>
    (await t.deps.store.db.selectFrom("members").select("email").execute()).map((m) => m.email);

  it("a badge keeps its UID's last four digits (not the UID), its issuer and its revoker", async () => {
    const base = `/members/${t.ids.workerMemberId}/badges`;
    const issued = await t.call("POST", base, {
      token: t.tokens.manager,
      body: { uid: "04:A1:B2:C3:d4:e5", label: "Carte bleue" },
    });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({
      uidLast4: "D4E5",
      issuedBy: `user:${t.ids.userIds.manager}`,
    });
    const rows = JSON.stringify(await t.deps.store.db.selectFrom("badges").selectAll().execute());
    expect(rows).not.toMatch(/04:?A1:?B2:?C3/i);
    const refused = await t.call("POST", base, {
      token: t.tokens.manager,
      body: { uid: "04:A1:" },
    });
    expect(refused.status).toBe(400);
    const revoked = await t.call("POST", `/badges/${issued.body.id}/revoke`, {
      token: t.tokens.coordinator,
      body: { reason: "lost on the train" },
    });
    expect(revoked.body).toMatchObject({
      revokedBy: `user:${t.ids.userIds.coordinator}`,
      revokeReason: "lost on the train",
      uidLast4: "D4E5",
    });
  });

  it("previews a CSV with its problems per line, and writes nothing", async () => {
    const before = await members();
    const csv = [
      "nom;e-mail;centre;langue",
      "Claire Dubois;claire@example.org;redu;fr",
      '=HYPERLINK("http://evil");formula@example.org;redu;fr',
      "Dan;not-an-address;redu;en",
      "Eve;eve@example.org;nowhere;fr",
      "Fay;claire@example.org;redu;fr",
      "Gil;ann@example.org;redu;fr",
      "Hugo;hugo@example.org;ciney;fr",
      "Ivy;ivy@example.org;redu;xx",
      '"Jo; the second";jo@example.org;redu;en',
      "@SUM(1);sum@example.org;redu;fr",
      "Kim;+32 1;redu;fr",
    ].join("\r\n");
    const preview = await t.call("POST", "/members/import/preview", {
      token: t.tokens.manager,
      body: { csv },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.rows.map((r: { email: string }) => r.email)).toEqual([
      "claire@example.org",
      "jo@example.org",
    ]);
    const byLine = (line: number) =>
      preview.body.problems
        .filter((p: { line: number }) => p.line === line)
        .map((p: { column: string; message: string }) => `${p.column}: ${p.message}`)
        .join(" | ");
    expect(byLine(3)).toMatch(/name: starts with "=": formulas are refused/);
    expect(byLine(4)).toMatch(/email: is not an e-mail address/);
    expect(byLine(5)).toMatch(/home_centre: no centre "nowhere"/);
    expect(byLine(6)).toMatch(/email: is already on line 2/);
    expect(byLine(7)).toMatch(/a member with this e-mail already exists/);
    expect(byLine(8)).toMatch(/you do not manage "ciney"/);
    expect(byLine(9)).toMatch(/language: is one of/);
    expect(byLine(11)).toMatch(/starts with "@"/);
    expect(byLine(12)).toMatch(/email: starts with "\+"/);
    expect(await members()).toEqual(before);

    const refused = await t.call("POST", "/members/import", {
      token: t.tokens.manager,
      body: { csv },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toMatch(/nothing was imported/);
    expect(refused.body.errors[0].message).toMatch(/^line 3, name: starts with "="/);
    expect(await members()).toEqual(before);
  });

  it("refuses a 10 MB file, an unclosed quote, a file without the columns: clear words", async () => {
    const big = `name,email\n${"x".repeat(10 * 1024 * 1024)}`;
    const tooBig = await t.call("POST", "/members/import/preview", {
      token: t.tokens.coordinator,
      body: { csv: big },
    });
    expect(tooBig.status).toBe(413);
    expect(tooBig.headers.get("content-type")).toContain("application/problem+json");
    const justOver = await t.call("POST", "/members/import/preview", {
      token: t.tokens.coordinator,
      body: { csv: `name,email\n${"x".repeat(1024 * 1024)}` },
    });
    expect(justOver.body.problems).toEqual([
      { line: 0, column: null, message: "the file is larger than 1 MB; split it" },
    ]);
    const open = await t.call("POST", "/members/import/preview", {
      token: t.tokens.coordinator,
      body: { csv: 'name,email\nAnn,ann2@example.org\n"Bo,bo@example.org\n' },
    });
    expect(open.body.problems).toEqual([
      { line: 3, column: null, message: "a quoted field is never closed" },
    ]);
    const headless = await t.call("POST", "/members/import/preview", {
      token: t.tokens.coordinator,
      body: { csv: "Ann,ann2@example.org\n" },
    });
    expect(headless.body.problems[0].message).toMatch(/missing: name, email/);
  });

  it("imports a clean file whole, audited; a worker may not import", async () => {
    const csv =
      "name,email,home_centre,language\nLou,lou@example.org,redu,en\nMax,max@example.org,,nl\n";
    expect(
      (await t.call("POST", "/members/import", { token: t.tokens.worker, body: { csv } })).status,
    ).toBe(403);
    const done = await t.call("POST", "/members/import", {
      token: t.tokens.coordinator,
      body: { csv },
    });
    expect(done.status).toBe(201);
    expect(done.body).toEqual({ created: 2 });
    expect(await members()).toEqual(expect.arrayContaining(["lou@example.org", "max@example.org"]));
    const again = await t.call("POST", "/members/import", {
      token: t.tokens.coordinator,
      body: { csv },
    });
    expect(again.status).toBe(400);
    const audit = JSON.stringify(
      (await t.call("GET", "/audit?limit=200", { token: t.tokens.coordinator })).body,
    );
    expect(audit).toContain("csv-import");
  });
});
