import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { provideService, serviceOf } from "@passerelle/testkit";
import pg from "pg";
import { pino } from "pino";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  loadOrCreateSigningKey,
  publicKeyFileName,
  signingKeyFileName,
} from "../../src/bundles/signingKeyFile.js";
import { verifyGatewayCredentials } from "../../src/domain/gateways.js";
import { serviceDeps } from "../../src/domain/serviceDeps.js";
import { getPrincipal } from "../../src/domain/staff.js";
import { verifyLogin } from "../../src/domain/users.js";
import { openStore, type Store } from "../../src/store/openStore.js";
import { centre } from "../support/fixtures.js";
import { runCloudCli } from "./cliProcess.js";

/* Every command of the operator CLI, run as a child process against a temporary data dir. */

const password = "a long enough password";
let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "passerelle-cli-"));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** Opens the data dir's database for a look, and closes it before the next CLI run. */
async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ dataDir });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

describe("cli dispatcher", () => {
  it("lists its commands on --help, and a command's options", async () => {
    const help = await runCloudCli(["--help"]);
    expect(help.code).toBe(0);
    for (const name of [
      "create-coordinator",
      "provision-gateway",
      "rotate-signing-key",
      "migrate",
      "verify-audit",
    ]) {
      expect(help.stdout).toContain(name);
    }
    const commandHelp = await runCloudCli(["provision-gateway", "--help"]);
    expect(commandHelp.code).toBe(0);
    expect(commandHelp.stdout).toContain("--centre");
  });

  it("refuses an unknown command or option, and no command at all", async () => {
    const unknown = await runCloudCli(["launch-rockets"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command: launch-rockets");
    const badOption = await runCloudCli(["migrate", "--colour", "blue"]);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("--colour");
    expect((await runCloudCli([])).code).toBe(2);
  });
});

describe("migrate", () => {
  it("applies the migrations once, then says the database is up to date", async () => {
    const first = await runCloudCli(["migrate", "--data-dir", dataDir]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("sqlite: applied 0001_initial");
    expect(first.stdout).toContain("sqlite: applied 0002_access_events");
    const again = await runCloudCli(["migrate"], { env: { PASSERELLE_DATA_DIR: dataDir } });
    expect(again).toMatchObject({ code: 0, stdout: "sqlite: up to date\n" });
  });

  it("needs to be told where the database is", async () => {
    const run = await runCloudCli(["migrate"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--data-dir");
  });
});

describe("create-coordinator", () => {
  it("creates a coordinator with the password from the environment, audited as the CLI", async () => {
    const run = await runCloudCli(["create-coordinator", "--email", "Chloe@Example.org"], {
      env: { PASSERELLE_DATA_DIR: dataDir, PASSERELLE_PASSWORD: password },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("coordinator created: chloe@example.org");
    expect(run.stdout + run.stderr).not.toContain(password);
    await withStore(async (store) => {
      const deps = serviceDeps(store);
      const user = await verifyLogin(deps, "chloe@example.org", password);
      expect(user).toBeDefined();
      const principal = await getPrincipal(deps, user?.id as string);
      expect(principal.coordinator).toBe(true);
      expect(principal.memberId).toBeNull();
      const audit = await store.db.selectFrom("audit_log").select(["actor", "action"]).execute();
      expect(audit.map((a) => a.action)).toEqual(["user.create", "staff.grant"]);
      expect(audit.every((a) => a.actor.startsWith("cli:"))).toBe(true);
    });
  });

  it("reads the password from stdin when it is piped", async () => {
    const run = await runCloudCli(["create-coordinator", "--email", "d@example.org"], {
      env: { PASSERELLE_DATA_DIR: dataDir },
      input: `${password}\nignored second line\n`,
    });
    expect(run.code).toBe(0);
    await withStore(async (store) => {
      expect(await verifyLogin(serviceDeps(store), "d@example.org", password)).toBeDefined();
    });
  });

  it("never takes a password on the command line, and needs one", async () => {
    const onArgv = await runCloudCli(
      ["create-coordinator", "--email", "e@example.org", "--password", password],
      { env: { PASSERELLE_DATA_DIR: dataDir } },
    );
    expect(onArgv.code).toBe(2);
    expect(onArgv.stderr).toContain("PASSERELLE_PASSWORD");
    const none = await runCloudCli(["create-coordinator", "--email", "e@example.org"], {
      env: { PASSERELLE_DATA_DIR: dataDir },
    });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no password");
    const short = await runCloudCli(["create-coordinator", "--email", "e@example.org"], {
      env: { PASSERELLE_DATA_DIR: dataDir, PASSERELLE_PASSWORD: "short" },
    });
    expect(short.code).toBe(1);
    expect(short.stderr).toContain("password");
    await withStore(async (store) => {
      expect(await store.db.selectFrom("users").select("id").execute()).toEqual([]);
    });
  });

  it("refuses an e-mail that already has a login", async () => {
    const env = { PASSERELLE_DATA_DIR: dataDir, PASSERELLE_PASSWORD: password };
    expect(
      (await runCloudCli(["create-coordinator", "--email", "f@example.org"], { env })).code,
    ).toBe(0);
    const twice = await runCloudCli(["create-coordinator", "--email", "f@example.org"], { env });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain("already exists");
  });
});

describe("provision-gateway", () => {
  it("prints the MQTT login once, which the broker check accepts; stores only its hash", async () => {
    await withStore((store) => centre(serviceDeps(store), "redu"));
    const run = await runCloudCli([
      "provision-gateway",
      "--centre",
      "redu",
      "--id",
      "gw-redu-1",
      "--data-dir",
      dataDir,
    ]);
    expect(run.code).toBe(0);
    const secret = /MQTT secret:\s+(\S+)/.exec(run.stdout)?.[1];
    expect(run.stdout).toContain("MQTT username: gw-redu-1");
    expect(secret).toBeDefined();
    const publicKey = await readFile(join(dataDir, publicKeyFileName), "utf8");
    expect(run.stdout).toContain(publicKey.trim());
    await withStore(async (store) => {
      const gateway = await verifyGatewayCredentials(
        serviceDeps(store),
        "gw-redu-1",
        secret as string,
      );
      expect(gateway?.centreId).toBe("redu");
      const row = await store.db.selectFrom("gateways").selectAll().executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(secret);
    });
  });

  it("prints JSON for install scripts, and fails clearly for an unknown centre", async () => {
    await withStore((store) => centre(serviceDeps(store), "ciney"));
    const run = await runCloudCli([
      "provision-gateway",
      "--centre",
      "ciney",
      "--id",
      "gw-ciney",
      "--json",
      "--data-dir",
      dataDir,
    ]);
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as Record<string, string>;
    expect(printed).toMatchObject({ username: "gw-ciney", centreId: "ciney" });
    expect(printed.publicKeyPem).toContain("BEGIN PUBLIC KEY");
    const unknown = await runCloudCli([
      "provision-gateway",
      "--centre",
      "nowhere",
      "--id",
      "gw-x",
      "--data-dir",
      dataDir,
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("nowhere");
    const missing = await runCloudCli(["provision-gateway", "--id", "gw-x", "--data-dir", dataDir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--centre");
  });
});

describe("rotate-signing-key", () => {
  it("writes a new key, archives the old one, and the cloud loads the new one", async () => {
    const silent = pino({ level: "silent" });
    const old = await loadOrCreateSigningKey(dataDir, silent);
    const oldPem = await readFile(join(dataDir, signingKeyFileName), "utf8");
    const run = await runCloudCli(["rotate-signing-key", "--data-dir", dataDir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`old key ${old.keyId} archived`);
    const current = await loadOrCreateSigningKey(dataDir, silent);
    expect(current.keyId).not.toBe(old.keyId);
    expect(run.stdout).toContain(`new signing key ${current.keyId}`);
    expect(await readFile(join(dataDir, publicKeyFileName), "utf8")).toBe(current.publicKeyPem);
    const archive = join(dataDir, "retired-signing-keys");
    const [kept] = await readdir(archive);
    expect(kept).toContain(old.keyId);
    expect(await readFile(join(archive, kept as string), "utf8")).toBe(oldPem);
    expect((await stat(join(archive, kept as string))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dataDir, signingKeyFileName))).mode & 0o777).toBe(0o600);
  });
});

const postgres = await provideService("postgres");
describe.skipIf(!postgres.available)("migrate on PostgreSQL", () => {
  const service = postgres.available ? serviceOf(postgres) : undefined;
  const database = `cli_${randomBytes(6).toString("hex")}`;
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: service?.url });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  afterAll(async () => {
    await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await service?.stop();
  });

  it("applies the migrations to the database at --postgres-url", async () => {
    await admin(`CREATE DATABASE "${database}"`);
    const url = new URL(service?.url as string);
    url.pathname = `/${database}`;
    const first = await runCloudCli(["migrate", "--postgres-url", url.toString()]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("postgres: applied 0001_initial");
    const again = await runCloudCli(["migrate"], {
      env: { PASSERELLE_POSTGRES_URL: url.toString() },
    });
    expect(again).toMatchObject({ code: 0, stdout: "postgres: up to date\n" });
  });
});
