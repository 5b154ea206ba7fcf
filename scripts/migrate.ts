/** `npm run db:migrate`: applies pending migrations to the configured database. */
import "./load-env";
import { openScriptDatabase } from "./database";
import { describeDatabaseFailure } from "@/db/describe-failure";
import { migrate } from "@/db/migrate";

const database = await openScriptDatabase();
try {
  const result = await migrate(database);
  console.log(
    result.applied.length > 0
      ? `Applied ${result.applied.length} migration(s) to ${database.location}: ${result.applied.join(", ")}`
      : `Nothing to apply: ${database.location} is at ${result.latest}`,
  );
} catch (error) {
  console.error(describeDatabaseFailure(database.engine, database.location, error));
  process.exitCode = 1;
} finally {
  await database.close();
}
