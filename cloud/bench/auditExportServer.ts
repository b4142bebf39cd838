/**
 * The cloud under measurement for auditExport.bench.ts, in its own process so its memory is
 * its own: starts the cloud on the given database, creates a coordinator with an API token,
 * tells the parent (IPC) where and how to call it, and stops on `{ type: "stop" }`.
 */
import { issueToken } from "../src/domain/authTokens.js";
import { grantStaffRole } from "../src/domain/staff.js";
import { createUser } from "../src/domain/users.js";
import { startCloud } from "../src/server.js";

const [dataDir, postgresUrl] = process.argv.slice(2);
if (dataDir === undefined || process.send === undefined) {
  throw new Error("usage: forked by auditExport.bench.ts with <dataDir> [postgresUrl]");
}
const send = process.send.bind(process);

const cloud = await startCloud({
  dataDir,
  ...(postgresUrl ? { postgresUrl } : {}),
  http: { host: "127.0.0.1", port: 0 },
  broker: { kind: "embedded", config: { host: "127.0.0.1", port: 0 } },
  logLevel: "warn",
  noShowSweepMs: 3_600_000,
});
const deps = cloud.services.deps;
const user = await createUser(deps, "cli:bench", {
  email: `bench-${Date.now()}@example.org`,
  password: "bench password, not a secret",
});
await grantStaffRole(deps, "cli:bench", { userId: user.id, role: "coordinator" });
const { token } = await issueToken(deps, "cli:bench", { userId: user.id, kind: "api" });

process.on("message", (message: { type: string }) => {
  if (message.type === "stop") {
    void cloud.stop().then(() => process.exit(0));
  }
});
send({ type: "ready", url: cloud.httpUrl, token });
