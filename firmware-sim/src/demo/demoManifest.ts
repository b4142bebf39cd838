import { chmod, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ExitKind } from "../doors/exitKind.js";
import type { SimPerson } from "../people/simPerson.js";

/**
 * What the seeding created and the other processes need: the centres with their gateway's
 * broker secret, the people with their member id and card, and the demo logins. Kept in the
 * demo's data directory, readable by its owner only: it holds secrets, as a provisioned Pi's
 * /etc/passerelle does. Its presence is what makes a second start resume instead of reseeding.
 */
export interface DemoManifest {
  readonly version: 1;
  readonly seed: string;
  readonly createdAt: string;
  readonly openingHours: "declared" | "round-the-clock";
  readonly centres: readonly DemoCentreEntry[];
  readonly people: readonly DemoPersonEntry[];
  readonly logins: readonly DemoLogin[];
}

export interface DemoCentreEntry {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  readonly doorId: string;
  readonly gatewayId: string;
  readonly gatewaySecret: string;
  /** How people leave; absent in data directories seeded before exits were modelled. */
  readonly exitKind?: ExitKind;
}

export interface DemoPersonEntry extends SimPerson {
  readonly memberId: string;
  readonly badgeId: string;
  /** Why this person's card is refused at every door: the log then shows refusals. */
  readonly badgeTrouble?: BadgeTrouble;
}

export type BadgeTrouble = "expired-pass" | "revoked-badge";

export interface DemoLogin {
  readonly role: "coordinator" | "manager" | "worker";
  readonly email: string;
  readonly password: string;
  readonly note: string;
}

export const manifestFileName = "demo-network.json";

export async function readManifest(dataDir: string): Promise<DemoManifest | undefined> {
  try {
    return JSON.parse(await readFile(join(dataDir, manifestFileName), "utf8")) as DemoManifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Written last and atomically: a seeding cut short leaves no manifest, so the next start says so. */
export async function writeManifest(dataDir: string, manifest: DemoManifest): Promise<void> {
  const path = join(dataDir, manifestFileName);
  const temporary = `${path}.tmp`;
  await writeFile(temporary, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}
