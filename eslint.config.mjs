import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next/**", "out/**", "next-env.d.ts", ".data/**", "test-results/**", "playwright-report/**", ".scratch/**", ".test-output/**"]),
  {
    rules: {
      // process.env is read in one place (server/env.ts) so every variable is validated and documented.
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through @/server/env." },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["server/env.ts", "instrumentation.ts", "**/*.test.ts", "e2e/**", "scripts/**", "bench/**", "*.config.*", "test/**"],
    rules: { "no-restricted-properties": "off" },
  },
]);
