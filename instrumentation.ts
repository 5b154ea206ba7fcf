/**
 * Runs once when a Next.js server process starts. Opening the database here (and, for the
 * embedded engine, migrating it and loading reference data) means the first request does not
 * pay for it. A failure is logged and reported by /api/health; the app still starts.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  try {
    await import("@/server/env");
  } catch (error) {
    // A malformed setting is a deployment mistake: stop with the message rather than serve errors.
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  const [{ getReadyDatabase }, { log }] = await Promise.all([import("@/db"), import("@/server/log")]);
  getReadyDatabase().catch((error: unknown) => {
    log.error("database not ready at start; /api/health has the details", { err: error });
  });
}
