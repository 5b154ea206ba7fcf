/**
 * `npm run db:seed`: migrates, then loads the reference data (airports, airlines, metro codes).
 * `npm run db:seed -- --demo` also writes 90 days of simulated price history for 20 routes, and
 * the admin console's demo runs (labelled demo) with a paused provider (DEMO_PAUSED_PROVIDER).
 */
import "./load-env";
import { openScriptDatabase } from "./database";
import { describeDatabaseFailure } from "@/db/describe-failure";
import { migrate } from "@/db/migrate";
import { loadReference } from "@/db/queries/reference";
import { loadReferenceData } from "@/db/seed/reference";
import { buildReferenceData } from "@/db/seed/reference-data";

const database = await openScriptDatabase();
try {
  await migrate(database);
  const data = await buildReferenceData();
  const counts = await loadReferenceData(database.db, data);
  console.log(
    `Reference data in ${database.location}: ${counts.airports} airports, ${counts.metros} metro codes, ` +
      `${counts.airlines} airlines, ${counts.searchTerms} search terms (${data.skipped.length} source rows left out).`,
  );
  if (process.argv.includes("--demo")) {
    const { seedDemoHistory } = await import("@/server/services/demo/demo-history");
    const started = Date.now();
    const result = await seedDemoHistory(
      { db: database.db, reference: await loadReference(database.db) },
      { onProgress: (done, total) => process.stdout.write(`\rDemo price history: ${done} / ${total} searches`) },
    );
    console.log(
      `\rDemo price history: ${result.searches} searches, ${result.snapshots} new snapshots in ${Math.round((Date.now() - started) / 1000)} s.`,
    );
    const { seedDemoConsole } = await import("@/server/services/demo/demo-console");
    const { env } = await import("@/server/env");
    const demo = await seedDemoConsole(database.db, { pausedProvider: env.DEMO_PAUSED_PROVIDER });
    if (demo.runs > 0) console.log(`Admin console demo: ${demo.runs} ingestion runs${demo.paused ? `, ${demo.paused} paused` : ""}.`);
  }
} catch (error) {
  console.error(describeDatabaseFailure(database.engine, database.location, error));
  process.exitCode = 1;
} finally {
  await database.close();
}
