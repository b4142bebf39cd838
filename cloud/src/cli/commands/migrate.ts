import { exitCodes } from "../cliIo.js";
import type { CliCommand } from "../command.js";
import { openCliStore, storeArgs, storeOptions, storeUsage } from "../storeArgs.js";

/** Applies the pending migrations (the cloud also does at start; this is for a planned upgrade). */
export const migrateCommand: CliCommand = {
  name: "migrate",
  summary: "apply the database migrations that are not applied yet",
  help: storeUsage,
  options: storeOptions,
  async run(values, io) {
    const store = await openCliStore(storeArgs(values, io.env), false);
    try {
      const applied = await store.migrate();
      if (applied.length === 0) io.out(`${store.engine}: up to date`);
      for (const name of applied) io.out(`${store.engine}: applied ${name}`);
      return exitCodes.ok;
    } finally {
      await store.close();
    }
  },
};
