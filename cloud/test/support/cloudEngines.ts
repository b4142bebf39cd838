import { describe } from "vitest";
import { startTestCloud, type TestCloud, type TestCloudOptions } from "./httpFixture.js";
import type { EngineHarness } from "./storeEngines.js";

/**
 * The same suite over a whole running cloud on each engine: "<title> [sqlite]" and
 * "<title> [postgres]" (a fresh PostgreSQL database from the testkit; skipped loudly when none,
 * failing with CI=true, like describeOnEngines).
 */
export function describeCloudOnEngines(
  harnesses: readonly EngineHarness[],
  title: string,
  suite: (start: (options?: TestCloudOptions) => Promise<TestCloud>) => void,
): void {
  for (const harness of harnesses) {
    describe.skipIf(!harness.available)(`${title} [${harness.engine}]`, () => {
      suite(async (options = {}) => {
        const postgresUrl = await harness.freshDatabaseUrl?.();
        return startTestCloud({
          ...options,
          ...(postgresUrl === undefined ? {} : { postgresUrl }),
        });
      });
    });
  }
}
