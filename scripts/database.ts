import type { Database } from "@/db/client";
import { describeDatabaseFailure } from "@/db/describe-failure";
import { configFromEnv, databaseTarget, openDatabase } from "@/server/context";

/** The configured database for a command-line script; if it cannot be opened, says why and exits. */
export async function openScriptDatabase(): Promise<Database> {
  const config = configFromEnv();
  return openDatabase(config.database).catch((error: unknown) => {
    const target = databaseTarget(config.database);
    console.error(describeDatabaseFailure(target.engine, target.location, error));
    process.exit(1);
  });
}
