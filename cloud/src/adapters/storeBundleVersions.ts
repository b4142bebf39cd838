import type { Clock } from "../domain/serviceDeps.js";
import type { BundleVersionStore } from "../ports/accessRules.js";
import type { Store } from "../store/openStore.js";

/**
 * Bundle versions per centre in the store, so they keep increasing across restarts and across
 * cloud instances: a gateway refuses any bundle that is not newer than the one it holds.
 */
export class StoreBundleVersions implements BundleVersionStore {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async current(centreId: string): Promise<number | null> {
    const row = await this.store.db
      .selectFrom("bundle_versions")
      .select("version")
      .where("centre_id", "=", centreId)
      .executeTakeFirst();
    return row === undefined ? null : Number(row.version);
  }

  async commit(centreId: string, version: number): Promise<void> {
    await this.store.write(async (trx) => {
      // Locked: two instances issuing at once serialise here, and the second sees the first's
      // version (PostgreSQL re-reads a row locked FOR UPDATE), so a version is never issued twice.
      const row = await this.store
        .forUpdate(
          trx.selectFrom("bundle_versions").select("version").where("centre_id", "=", centreId),
        )
        .executeTakeFirst();
      if (row !== undefined && Number(row.version) >= version) {
        throw new Error(`bundle version ${version} of ${centreId} is not above ${row.version}`);
      }
      const issuedAt = this.clock.now();
      if (row === undefined) {
        await trx
          .insertInto("bundle_versions")
          .values({ centre_id: centreId, version, issued_at: issuedAt })
          .execute();
      } else {
        await trx
          .updateTable("bundle_versions")
          .set({ version, issued_at: issuedAt })
          .where("centre_id", "=", centreId)
          .execute();
      }
    });
  }
}
