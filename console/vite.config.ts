import { defaultClientConditions, defineConfig } from "vite";
import { precompress } from "./scripts/precompress.js";

/**
 * The console is plain TypeScript modules and one stylesheet; Vite bundles them into
 * dist/app (served by the cloud at `/`). dist/tsc is the typechecker's, kept apart.
 * The "source" condition bundles @passerelle/protocol/browser from its TypeScript, as the
 * tests do, so a build never depends on protocol's dist being fresh.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  resolve: { conditions: ["source", ...defaultClientConditions] },
  build: {
    outDir: "dist/app",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    reportCompressedSize: false,
  },
  plugins: [precompress()],
  server: { proxy: { "/api": "http://127.0.0.1:8080" } },
  logLevel: "warn",
});
