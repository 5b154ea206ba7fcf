/** `npm run db:migrate`: applies pending migrations to the configured database. */
import "./load-env";
import { closeDatabase, getDatabase } from "@/db";
import { migrate } from "@/db/migrate";
import { describeDatabaseFailure } from "@/server/services/health";

const database = await getDatabase().catch((error: unknown) => {
  console.error(describeDatabaseFailure("embedded", null, error));
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
  await closeDatabase();
}
