/**
 * Gateway benchmark: a bundle of 100 000 credentials, as the gateway receives it.
 *
 *     npm run bench -w gateway
 *
 * This process builds and signs the bundle (the cloud's work) and writes the frame to a file;
 * a fresh child process (decisionRun.ts) then does only what a gateway does — verify, index,
 * decide — so its RSS is a gateway's. `BENCH_COMPILED=1` runs that child from the compiled dist/;
 * `BENCH_MEMBER_IDS=uuid` gives members the cloud's UUIDv7 ids instead of "m-<n>".
 */
import { spawnSync } from "node:child_process";
import { createPrivateKey } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type BundleCredential,
  credentialHash,
  type FullBundle,
  generateCredentialSalt,
  generateSigningKeyPair,
  signFullBundle,
  uuidv7,
} from "@passerelle/protocol";

const credentialCount = Number(process.env.BENCH_CREDENTIALS ?? 100_000);
// The cloud's member ids are UUIDv7 (36 characters); "short" keeps the figures comparable with
// the first measurements, which used "m-<n>".
const memberIds = process.env.BENCH_MEMBER_IDS === "uuid" ? "uuid" : "short";

const salt = generateCredentialSalt();
const uidOf = (i: number) => i.toString(16).padStart(14, "0");
const start = Date.parse("2026-11-23T00:00:00Z");

function makeCredential(i: number): BundleCredential {
  const day = start + (i % 7) * 86_400_000;
  return {
    hash: credentialHash(uidOf(i), salt),
    member: memberIds === "uuid" ? uuidv7(start - i * 60_000) : `m-${i}`,
    status: i % 50 === 0 ? "revoked" : "active",
    doors: ["main", "back"],
    windows:
      i % 3 === 0
        ? [
            {
              from: new Date(day + 7 * 3_600_000).toISOString(),
              to: new Date(day + 12 * 3_600_000).toISOString(),
              source: "booking",
            },
            {
              from: new Date(day + 13 * 3_600_000).toISOString(),
              to: new Date(day + 17 * 3_600_000).toISOString(),
              source: "booking",
            },
          ]
        : [],
    passes:
      i % 3 === 1
        ? [
            {
              from: "2026-11-01T00:00:00.000Z",
              to: "2026-12-01T00:00:00.000Z",
              hours: "opening-hours",
            },
          ]
        : [],
    staff: i % 1000 === 0,
    offlineStaff: false,
  };
}

const bundle: FullBundle = {
  type: "bundle.full",
  centre: "louvain-la-neuve",
  version: 42,
  issuedAt: "2026-11-22T23:00:00.000Z",
  validUntil: "2026-11-30T00:00:00.000Z",
  credentialSalt: salt,
  rules: {
    id: "louvain-la-neuve",
    name: "Louvain-la-Neuve",
    timeZone: "Europe/Brussels",
    openingHours: [{ days: [1, 2, 3, 4, 5], open: "07:30", close: "19:00" }],
    closedDates: [],
  },
  doors: [
    { id: "main", name: "Entrée", direction: "both", zones: ["open-space"] },
    { id: "back", name: "Arrière", direction: "both", zones: [] },
  ],
  credentials: Array.from({ length: credentialCount }, (_, i) => makeCredential(i)),
};

const pair = generateSigningKeyPair();
const frame = signFullBundle(bundle, createPrivateKey(pair.privateKeyPem));
const hashes = Array.from({ length: 4096 }, (_, i) =>
  i % 10 === 0
    ? credentialHash(`ff${uidOf(i)}`, salt)
    : credentialHash(uidOf((i * 7919) % credentialCount), salt),
);
const directory = mkdtempSync(join(tmpdir(), "gw-bench-"));
writeFileSync(join(directory, "bundle.frame"), frame);
writeFileSync(join(directory, "public.pem"), pair.publicKeyPem);
writeFileSync(join(directory, "hashes.json"), JSON.stringify(hashes));
// BENCH_COMPILED=1 runs the gateway side from dist/ (build it first: `npx tsc -b`), as the systemd
// unit runs the gateway: plain node with the unit's V8 flags (heap caps), without the ~35 MB that
// tsx's on-the-fly compiling holds.
const compiled = process.env.BENCH_COMPILED === "1";
const unitFlags = compiled ? nodeFlagsOfSystemdUnit() : [];

function nodeFlagsOfSystemdUnit(): string[] {
  const unit = readFileSync(
    new URL("../../deploy/gateway/passerelle-gateway.service", import.meta.url),
    "utf8",
  );
  const execStart = /^ExecStart=\S*node((?: --[\w-]+=\S+)*) /m.exec(unit);
  if (!execStart) throw new Error("no node ExecStart line in the gateway's systemd unit");
  return (execStart[1] ?? "").trim().split(" ").filter(Boolean);
}
const runner = compiled
  ? new URL("../dist/bench/decisionRun.js", import.meta.url).pathname
  : new URL("./decisionRun.ts", import.meta.url).pathname;
console.log(
  `gateway side run ${compiled ? `from the compiled dist/ (plain node ${unitFlags.join(" ")})` : "with tsx"}; member ids: ${memberIds === "uuid" ? "UUIDv7" : "m-<n>"}`,
);
const run = spawnSync(
  process.execPath,
  [
    "--expose-gc",
    ...unitFlags,
    ...(compiled ? [] : ["--conditions=source", "--import", "tsx"]),
    runner,
    directory,
    String(start),
  ],
  { stdio: "inherit" },
);
if (!process.env.BENCH_KEEP) rmSync(directory, { recursive: true, force: true });
else console.log(`kept ${directory}`);
process.exitCode = run.status ?? 1;
