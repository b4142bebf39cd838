import { existsSync } from "node:fs";
import { defineConfig } from "vitest/config";

const workspaces = [
  "protocol",
  "testkit",
  "gateway",
  "cloud",
  "firmware-sim",
  "dashboards",
  "console",
];

// Every workspace runs its tests from one root command (`npm test`). Workspace packages are
// resolved to their TypeScript sources (the "source" export condition) so tests never depend on
// a previous build.
export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"], externalConditions: ["source"] } },
  test: {
    projects: workspaces
      .filter((name) => existsSync(`./${name}/test`))
      .map((name) => ({
        extends: true,
        test: {
          name,
          root: `./${name}`,
          include: ["test/**/*.test.ts"],
          // A workspace that needs something made once before its tests (the console's build).
          ...(existsSync(`./${name}/test/globalSetup.ts`)
            ? { globalSetup: [`./test/globalSetup.ts`] }
            : {}),
        },
      })),
    // Most of the suite's wall time is spent waiting on real processes and real time (brokers,
    // databases, gateways, a browser, a booking's grace period), not on this process's CPU, so
    // test files run three at a time even on a 2-core machine (vitest's default there is one).
    // PASSERELLE_TEST_WORKERS overrides it (1 to run the files one after another).
    maxWorkers: Number(process.env.PASSERELLE_TEST_WORKERS ?? 3),
    minWorkers: 1,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
