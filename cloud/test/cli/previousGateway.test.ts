import { execFileSync, spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { createDoor } from "../../src/domain/doors.js";
import { provisionGateway } from "../../src/domain/gateways.js";
import { serviceDeps } from "../../src/domain/serviceDeps.js";
import { openStore } from "../../src/store/openStore.js";
import { admin, allDayEveryDay, centre } from "../support/fixtures.js";
import { runCloudCli } from "./cliProcess.js";
import { type ServingCloud, startServe, stopServe } from "./serveProcess.js";

/*
 * A gateway of the previous version keeps working with this cloud (protocol/README.md
 * "Contract versions"): the gateway and protocol sources of the previous version's commit are
 * taken from git, run as the real gateway process (`gateway/src/main.ts --config`), and pointed
 * at `serve` from this tree. It logs in, applies the signed bundle and then a delta after a
 * rule change, and its events are committed and acked.
 */

/** The previous version: main as it landed before issue 18 (contract 1.2). */
const previous = { commit: "c78757098450eea7ddd9776b2690101ac1a8dc50", contract: "1.2" };
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const password = "a long enough password";
const dirs: string[] = [];
let cloud: ServingCloud | undefined;
let gateway: ReturnType<typeof spawn> | undefined;
afterAll(async () => {
  gateway?.kill("SIGKILL");
  if (cloud !== undefined) await stopServe(cloud);
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function tempDir(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `passerelle-prev-${name}-`));
  dirs.push(dir);
  return dir;
}

/**
 * The previous commit's protocol/ and gateway/ in a directory of their own, resolving
 * @passerelle/protocol to that old protocol and every other package to this tree's
 * node_modules (the dependencies did not change between the two). Needs the repository's git
 * history: in a shallow clone the commit is fetched from origin first; where that fails too the
 * test fails with git's message, never a silent skip.
 */
async function previousGatewayTree(): Promise<string> {
  const dir = await tempDir("tree");
  try {
    execFileSync("git", ["-C", repoRoot, "cat-file", "-e", `${previous.commit}^{commit}`]);
  } catch {
    execFileSync("git", ["-C", repoRoot, "fetch", "--quiet", "origin", previous.commit]);
  }
  execFileSync("sh", [
    "-c",
    `git -C "${repoRoot}" archive --format=tar ${previous.commit} protocol gateway package.json tsconfig.base.json | tar -x -C "${dir}"`,
  ]);
  const modules = join(dir, "node_modules");
  await mkdir(join(modules, "@passerelle"), { recursive: true });
  await symlink(join(dir, "protocol"), join(modules, "@passerelle", "protocol"));
  for (const entry of await readdir(join(repoRoot, "node_modules"))) {
    if (entry === "@passerelle") continue;
    await symlink(join(repoRoot, "node_modules", entry), join(modules, entry));
  }
  return dir;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function eventsOf(dataDir: string): { type: string; detail: string | null; seq: number }[] {
  const db = new Database(join(dataDir, "passerelle.sqlite"), { readonly: true });
  try {
    return db
      .prepare(
        "select type, detail, seq from access_events where gateway_id = 'redu-1' order by seq",
      )
      .all() as { type: string; detail: string | null; seq: number }[];
  } finally {
    db.close();
  }
}

async function until<T>(what: string, check: () => T | undefined, log: () => string): Promise<T> {
  const end = Date.now() + 90_000;
  for (;;) {
    const found = check();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; gateway log:\n${log()}`);
    await sleep(250);
  }
}

it(`a gateway of the previous version (${previous.commit.slice(0, 7)}, contract ${previous.contract}) logs in, applies a bundle and a delta, and gets its events acked`, {
  timeout: 240_000,
}, async () => {
  const tree = await previousGatewayTree();
  const dataDir = await tempDir("cloud");
  const made = await runCloudCli(
    ["create-coordinator", "--email", "coord@example.coop", "--data-dir", dataDir],
    { env: { PASSERELLE_PASSWORD: password } },
  );
  expect(made.code).toBe(0);
  const store = await openStore({ dataDir });
  let secret: string;
  try {
    const deps = serviceDeps(store);
    await centre(deps, "redu", allDayEveryDay);
    ({ secret } = await provisionGateway(deps, admin, { id: "redu-1", centreId: "redu" }));
    await createDoor(deps, admin, {
      id: "redu-door",
      centreId: "redu",
      gatewayId: "redu-1",
      name: "Entrée",
      direction: "both",
    });
  } finally {
    await store.close();
  }
  cloud = await startServe(["--data-dir", dataDir, "--http-port", "0", "--broker-port", "0"]);

  const gatewayDir = await tempDir("gateway");
  await writeFile(join(gatewayDir, "secret"), secret, { mode: 0o600 });
  await writeFile(
    join(gatewayDir, "gateway.json"),
    JSON.stringify({
      gatewayId: "redu-1",
      centre: "redu",
      dataDir: join(gatewayDir, "data"),
      logLevel: "info",
      mqtt: {
        url: cloud.brokerUrl,
        passwordFile: join(gatewayDir, "secret"),
        reconnectMinMs: 200,
        reconnectMaxMs: 1000,
      },
      trustedKeyFiles: [join(dataDir, "bundle-signing-key.pub.pem")],
      outbox: { ackTimeoutMs: 2000, batchSize: 50 },
      // No device simulator: the sim adapter keeps retrying its socket, the door stays idle.
      hardware: { adapter: "sim", endpoint: "tcp://127.0.0.1:9" },
    }),
  );
  const output: string[] = [];
  gateway = spawn(
    process.execPath,
    [
      "--conditions=source",
      "--import",
      "tsx",
      join(tree, "gateway/src/main.ts"),
      "--config",
      join(gatewayDir, "gateway.json"),
    ],
    { cwd: tree, env: { PATH: process.env.PATH ?? "" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  gateway.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  gateway.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const log = () => output.join("").slice(-4000);

  // The full bundle, signed by this cloud, applied by the old gateway and reported as an event.
  await until(
    "bundle.applied from the previous gateway",
    () => eventsOf(dataDir).find((e) => e.type === "bundle.applied"),
    log,
  );
  const login = await fetch(`${cloud.httpUrl}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "coord@example.coop", password }),
  });
  const { token } = (await login.json()) as { token: string };
  // A rule change: the cloud compiles the next version and sends it as a delta.
  const patched = await fetch(`${cloud.httpUrl}/api/v1/centres/redu`, {
    method: "PATCH",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ closedDates: ["2030-12-25"] }),
  });
  expect(patched.status).toBe(200);
  await until(
    "a second bundle.applied (the delta)",
    () => {
      const applied = eventsOf(dataDir).filter((e) => e.type === "bundle.applied");
      return applied.length >= 2 ? applied : undefined;
    },
    log,
  );
  const events = eventsOf(dataDir);
  expect(events.filter((e) => e.type === "bundle.rejected")).toEqual([]);
  // Stored once each, in order: the cloud acked them (the gateway would re-send otherwise).
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  // Nothing went wrong between the gateway and the cloud (the door and the simulated hardware
  // complain that no device simulator answers: not this test's subject).
  const errors = output
    .join("")
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { level: number; module?: string; msg: string })
    .filter((line) => line.level >= 50 && !/^gateway:(door|hardware)/.test(line.module ?? ""));
  expect(errors).toEqual([]);
  expect(output.join("")).toMatch(/"version":2,"credentials":0,"msg":"bundle in force"/);
});
