/**
 * Start-up of a Node.js server process (called from instrumentation.ts).
 * - A malformed setting is a deployment mistake: stop with a message naming it, rather than
 *   serve errors.
 * - Open the database now (and, for the embedded engine, migrate it and load reference data)
 *   so the first request does not pay for it. A failure is logged and reported by
 *   /api/health; the app still starts.
 */
export async function startServer() {
  try {
    await import("@/server/env");
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  const [{ getReadyDatabase }, { log }] = await Promise.all([import("@/db"), import("@/server/log")]);
  getReadyDatabase().catch((error: unknown) => {
    log.error("database not ready at start; /api/health has the details", { err: error });
  });
}
