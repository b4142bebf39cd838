import { constants } from "node:fs";
import { access, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { commands } from "../../src/cli/cli.js";

/*
 * The units in deploy/cloud/ name CLI commands and options as text: a renamed command would
 * only show as a failed unit on a server. Each ExecStart that runs the CLI must name a command
 * and options it has; one that runs a script of deploy/cloud/ must find it there, executable,
 * and every CLI command the script runs must exist. Each timer starts a unit that exists.
 */

const deployDir = fileURLToPath(new URL("../../../deploy/cloud/", import.meta.url));
const installedDeployDir = "/opt/passerelle/deploy/cloud/";

/** `Key=value` lines of a unit file, with `\` continuations joined and comments left out. */
function unitSettings(text: string, key: string): string[] {
  const joined = text.replace(/\\\n/g, " ");
  return joined
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith(`${key}=`))
    .map((line) => line.slice(key.length + 1).trim());
}

function expectCliCall(words: readonly string[], where: string): void {
  const [name, ...rest] = words;
  const command = commands.find((c) => c.name === name);
  expect(command, `${where}: no CLI command "${name}"`).toBeDefined();
  for (const word of rest.filter((w) => w.startsWith("--"))) {
    const option = word.slice(2).split("=")[0] ?? "";
    expect(Object.keys(command?.options ?? {}), `${where}: ${name} has no ${word}`).toContain(
      option,
    );
  }
}

const files = await readdir(deployDir);
const services = files.filter((file) => file.endsWith(".service"));

it("finds the cloud, backup and archive units", () => {
  expect(services.sort()).toEqual([
    "passerelle-archive.service",
    "passerelle-backup.service",
    "passerelle-cloud.service",
  ]);
});

it.each(services)("%s runs a CLI command that exists", async (service) => {
  const text = await readFile(join(deployDir, service), "utf8");
  const execStarts = unitSettings(text, "ExecStart");
  expect(execStarts).toHaveLength(1);
  const words = (execStarts[0] ?? "").split(/\s+/);
  const cli = words.findIndex((word) => word.endsWith("/cloud/dist/src/cli/main.js"));
  if (cli >= 0) {
    expectCliCall(words.slice(cli + 1), service);
    return;
  }
  // A script of deploy/cloud/, run from where README.md installs the repository.
  const script = words[0] ?? "";
  expect(script.startsWith(installedDeployDir), `${service}: runs ${script}`).toBe(true);
  const local = join(deployDir, script.slice(installedDeployDir.length));
  await access(local, constants.X_OK);
  const calls = [...(await readFile(local, "utf8")).matchAll(/"\$cli" ([^\n]+)/g)];
  expect(calls.length, `${local} runs no CLI command`).toBeGreaterThan(0);
  for (const call of calls) {
    expectCliCall((call[1] ?? "").split(/\s+/), local);
  }
});

it.each(files.filter((file) => file.endsWith(".timer")))(
  "%s starts a unit that exists, catching up missed runs",
  async (timer) => {
    const text = await readFile(join(deployDir, timer), "utf8");
    const unit = unitSettings(text, "Unit")[0] ?? timer.replace(/\.timer$/, ".service");
    expect(services).toContain(unit);
    expect(unitSettings(text, "Persistent")).toEqual(["true"]);
    expect(unitSettings(text, "OnCalendar")).toHaveLength(1);
  },
);
