/** `npm run db:migrate`: applies pending migrations to the configured database. */
import "./load-env";
import { describeDatabaseFailure } from "@/db/describe-failure";
import { migrate } from "@/db/migrate";
import { configFromEnv, databaseTarget, openDatabase } from "@/server/context";

const config = configFromEnv();
const database = await openDatabase(config.database).catch((error: unknown) => {
  const target = databaseTarget(config.database);
  console.error(describeDatabaseFailure(target.engine, target.location, error));
  process.exit(1);
});
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
