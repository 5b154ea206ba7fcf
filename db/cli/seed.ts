/** `npm run db:seed`: migrates, then loads the reference data (airports, airlines, metro codes). */
import "./load-env";
import { closeDatabase, getDatabase } from "@/db";
import { migrate } from "@/db/migrate";
import { loadReferenceData } from "@/db/seed/reference";
import { buildReferenceData } from "@/db/seed/reference-data";
import { describeDatabaseFailure } from "@/server/services/health";

const database = await getDatabase().catch((error: unknown) => {
  console.error(describeDatabaseFailure("embedded", null, error));
  process.exit(1);
});
try {
  await migrate(database);
  const data = await buildReferenceData();
  const counts = await loadReferenceData(database.db, data);
  console.log(
    `Reference data in ${database.location}: ${counts.airports} airports, ${counts.metros} metro codes, ` +
      `${counts.airlines} airlines, ${counts.searchTerms} search terms (${data.skipped.length} source rows left out).`,
  );
} catch (error) {
  console.error(describeDatabaseFailure(database.engine, database.location, error));
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
