import { openStore, type Store, type StoreOptions } from "../store/openStore.js";
import { type AuditVerification, verifyAuditChain } from "./verifyAuditChain.js";

export interface VerifyAuditCommandOptions {
  /** The cloud's database: an open store, or how to open one (the cloud's dataDir or URL). */
  readonly store: Store | StoreOptions;
  /** Where the report lines go (default: stdout). */
  readonly print?: (line: string) => void;
}

const reasons: Record<NonNullable<AuditVerification["firstBroken"]>["reason"], string> = {
  "hash-mismatch": "its content or stored hash was changed",
  "broken-prev-link": "it does not follow the entry before it (an entry was removed or inserted)",
  "head-mismatch":
    "the chain does not end where its head says (entries removed or added at the end)",
  "checkpoint-unvouched":
    "the archive checkpoint it starts after is named by no audit.archive entry (made by hand?)",
};

/**
 * `npm run cloud -- verify-audit`: walks the audit chain of the cloud's database and prints
 * the verdict. Returns the process exit code: 0 sound, 1 broken. Opens the store without
 * migrating it: checking evidence must not change the database it checks.
 */
export async function verifyAuditCommand(options: VerifyAuditCommandOptions): Promise<number> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const given = "engine" in options.store ? options.store : undefined;
  const store = given ?? (await openStore({ ...(options.store as StoreOptions), migrate: false }));
  try {
    const result = await verifyAuditChain(store.db);
    if (result.startsAfter !== undefined) {
      print(
        `entries up to ${result.startsAfter.id} are archived; the chain starts after hash ${result.startsAfter.hash}`,
      );
    }
    if (result.ok) {
      print(`audit chain sound: ${result.checked} entries, last hash ${result.lastHash}`);
      return 0;
    }
    const broken = result.firstBroken;
    print(
      `audit chain BROKEN at entry ${broken?.id} (${broken?.reason}): ${broken ? reasons[broken.reason] : ""}`,
    );
    const sound = `${result.checked} ${result.checked === 1 ? "entry" : "entries"}`;
    print(`${sound} before it are sound; last sound hash ${result.lastHash}`);
    return 1;
  } finally {
    if (given === undefined) await store.close();
  }
}
