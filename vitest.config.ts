import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    alias: [{ find: /^@\//, replacement: root }],
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
