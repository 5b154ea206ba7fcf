/**
 * Runs once when a Next.js server process starts. The Node.js-only start-up lives in
 * server/startup.ts, imported only for that runtime so the edge bundle never sees it. Then the
 * OpenTelemetry SDK, when an OTLP endpoint is set (server/observability/otel.ts): after the
 * start-up, which stops the process with a message on a malformed setting, before any request.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startServer } = await import("@/server/startup");
    await startServer();
    const { startTracing } = await import("@/server/observability/otel");
    startTracing("flight-tracker");
  }
}
