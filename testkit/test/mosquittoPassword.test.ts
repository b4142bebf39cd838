import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { mosquittoPasswordHash, writeMosquittoPasswordEntry } from "../src/mosquittoPassword.js";

describe("mosquittoPasswordHash", () => {
  it("matches an entry written by mosquitto_passwd 2.0 for the same salt", () => {
    // `mosquitto_passwd -b file alice secret`, mosquitto 2.0.11
    const entry =
      "$7$101$0Q3Pdd/dSV+L7CnJ$wfuZhAYCgZBBoyJYfmOSFRLTiXghiQG/jGEjUc0thP6Sd0JcyVO09hG5EA3hWFuh/ENGNTE+kg9iipzq+xnbCw==";
    const salt = Buffer.from("0Q3Pdd/dSV+L7CnJ", "base64");
    expect(mosquittoPasswordHash("secret", salt)).toBe(entry);
  });
});

describe("writeMosquittoPasswordEntry with the built-in hash", () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it("creates a private file and replaces an existing user's entry", async () => {
    const dir = await mkdtemp(join(tmpdir(), "testkit-passwd-"));
    dirs.push(dir);
    const file = join(dir, "passwd");
    const builtIn = { mosquittoPasswd: null };
    await writeMosquittoPasswordEntry(file, "a", "1", builtIn);
    await writeMosquittoPasswordEntry(file, "b", "2", builtIn);
    await writeMosquittoPasswordEntry(file, "a", "3", builtIn);
    const users = (await readFile(file, "utf8"))
      .trim()
      .split("\n")
      .map((l) => l.split(":")[0]);
    expect(users).toEqual(["b", "a"]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it("refuses a username that would corrupt the file", async () => {
    await expect(writeMosquittoPasswordEntry("/nonexistent", "a:b", "x")).rejects.toMatchObject({
      code: "config.invalid",
    });
  });
});
