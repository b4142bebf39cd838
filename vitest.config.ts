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
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
