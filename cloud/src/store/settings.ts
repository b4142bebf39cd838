import type { Executor } from "./openStore.js";

/** Network-wide values kept in the `settings` table. */
export async function readSetting(db: Executor, key: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("settings")
    .select("value")
    .where("key", "=", key)
    .executeTakeFirst();
  return row?.value;
}

/** The salt of every badge's credential hash, created by the first migration. */
export async function credentialSalt(db: Executor): Promise<string> {
  const salt = await readSetting(db, "credential_salt");
  if (salt === undefined) throw new Error("settings.credential_salt is missing: run migrations");
  return salt;
}
