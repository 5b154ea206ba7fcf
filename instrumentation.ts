/**
 * Runs once when a Next.js server process starts. The Node.js-only start-up lives in
 * server/startup.ts, imported only for that runtime so the edge bundle never sees it.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startServer } = await import("@/server/startup");
    await startServer();
  }
}
