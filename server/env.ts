import { createEnv } from "@t3-oss/env-nextjs";
import { z } from "zod";

/**
 * Every setting the app reads, validated once. Nothing is required: each variable has an
 * embedded or disabled default so a fresh checkout runs with no configuration at all.
 * Keep this list, `.env.example` and the README's configuration table in step.
 */
export const env = createEnv({
  server: {
    /** PostgreSQL or TimescaleDB server. Unset: the embedded PGlite engine with TimescaleDB. */
    DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/, error: "DATABASE_URL must be a postgres:// or postgresql:// URL" })
      .optional(),
    /** Connections per app instance to the server database. */
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    /** Seconds to wait for a server connection before reporting the database unreachable. */
    DATABASE_CONNECT_TIMEOUT: z.coerce.number().int().min(1).max(120).default(5),
    /** Run pending migrations and load reference data when the app starts against a server. */
    DATABASE_MIGRATE_ON_START: z.stringbool().default(false),
    /** Folder of the embedded database (used only without DATABASE_URL). */
    EMBEDDED_DATABASE_DIR: z.string().min(1).default(".data/pglite"),
    /** debug | info | warn | error */
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  },
  client: {},
  experimental__runtimeEnv: {},
  emptyStringAsUndefined: true,
  // Name each bad variable and say what is wrong with it, in the error itself.
  onValidationError: (issues) => {
    const lines = issues.map((issue) => {
      const name = (issue.path ?? []).map((part) => (typeof part === "object" ? String(part.key) : String(part))).join(".");
      return `${name || "(environment)"}: ${issue.message}`;
    });
    throw new Error(`Invalid environment variables (see .env.example):\n  ${lines.join("\n  ")}`);
  },
});

export type Env = typeof env;
