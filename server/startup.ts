/**
 * Start-up of a Node.js server process (called from instrumentation.ts).
 * - A malformed setting is a deployment mistake: stop with a message naming it, rather than
 *   serve errors.
 * - Build the app context now (opening the database and, for the embedded engine, migrating
 *   it and loading reference data) so the first request does not pay for it. A failure is
 *   logged and reported by /api/health; the app still starts.
 * - With WORKER_MODE=app (the default on the embedded engine), start the job queue's workers
 *   here: scheduled ingestion of tracked routes and retention.
 * - On the embedded engine's first start, write the demo price history in the background, so
 *   that charts have data while the app is already serving, then the admin console's demo runs.
 */
export async function startServer() {
  try {
    await import("@/server/env");
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  const [{ getAppContext }, { log }] = await Promise.all([import("@/server/context"), import("@/server/log")]);
  getAppContext()
    .then(async (ctx) => {
      if (ctx.config.tracking.workerMode === "app") {
        const { startJobs } = await import("@/server/jobs/runtime");
        await startJobs(ctx).then(
          () => log.info("job queue started in the app process", { concurrency: ctx.config.tracking.workerConcurrency }),
          (error: unknown) => log.error("job queue not started: tracked routes are not refreshed", { err: error }),
        );
      }
      if (ctx.database.engine !== "embedded" || !ctx.config.demoHistoryOnStart) return;
      const { demoHistorySeeded, seedDemoHistory } = await import("@/server/services/demo/demo-history");
      if (!(await demoHistorySeeded(ctx.db))) {
        log.info("writing demo price history in the background");
        const started = Date.now();
        const result = await seedDemoHistory(ctx, {
          onProgress: (done, total) => {
            if (done % 1000 === 0) log.info("demo price history", { done, total });
          },
        });
        log.info("demo price history written", { ...result, seconds: Math.round((Date.now() - started) / 1000) });
      }
      const { seedDemoConsole } = await import("@/server/services/demo/demo-console");
      const paused = ctx.config.demoPausedProvider;
      const demo = await seedDemoConsole(ctx.db, { pausedProvider: paused && ctx.providers.some((p) => p.id === paused) ? paused : null });
      if (demo.runs > 0) log.info("admin console demo data written", demo);
    })
    .catch((error: unknown) => {
      log.error("app not ready at start; /api/health has the details", { err: error });
    });
}
