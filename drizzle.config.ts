import { defineConfig } from "drizzle-kit";

// `drizzle-kit generate` needs no database: it diffs db/schema against db/migrations.
// Migrations are applied by our own runner (`npm run db:migrate`, db/migrate.ts), which takes
// an advisory lock and runs the TimescaleDB steps that must happen outside a transaction.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  strict: true,
  verbose: true,
  casing: "snake_case",
});
