import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    // One graphql for our code and the packages Node loads (Yoga, Pothos): its CommonJS build, as in the app (next.config.ts).
    alias: [
      { find: /^@\//, replacement: root },
      { find: /^graphql$/, replacement: createRequire(import.meta.url).resolve("graphql") },
    ],
  },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", ".next/**", "e2e/**", ".data/**"],
    environment: "node",
    // Each file opens real databases (PGlite takes ~2 s to start, loading the reference data
    // ~1.5 s per engine). Limits here bound hangs; speed is measured by `npm run bench`.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
