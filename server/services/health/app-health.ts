import { configFromEnv, databaseTarget, getAppContext, getReadyDatabase } from "@/server/context";
import { env } from "@/server/env";
import type { HealthOptions, HealthSources } from "./check-health";
import { smtpChecker } from "./smtp-check";

/** An SMTP answer is kept this long: a mail provider need not see a login per health poll. */
const SMTP_CHECK_TTL_MS = 30_000;

const smtp = smtpChecker(SMTP_CHECK_TTL_MS);

/** What the health endpoints check in this process: its own database, context and configuration. */
export function appHealth(): { sources: HealthSources; options: HealthOptions } {
  const config = configFromEnv();
  return {
    sources: { config, database: getReadyDatabase, context: getAppContext, smtp },
    options: { timeoutMs: env.HEALTH_TIMEOUT_MS, describeTarget: databaseTarget(config.database) },
  };
}

/** 200 while the app can serve (ok or degraded), 503 when it cannot; never cached. */
export function healthResponse(report: { ready: boolean }): Response {
  return Response.json(report, { status: report.ready ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
