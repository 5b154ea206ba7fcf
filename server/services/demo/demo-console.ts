import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { DEMO_JOB_PREFIX } from "@/db/queries/admin";
import { getSetting, putSetting } from "@/db/queries/app-settings";
import { recordAudit } from "@/db/queries/audit";
import { ingestionRun, providerCall, type RunProviderReport } from "@/db/schema";
import { SIMULATED_SOURCES } from "@/server/core/fare-model/sources";
import { readPausedProviders, setProviderPaused } from "@/server/providers/pauses";

/**
 * The admin console's demo data (issue 13): two days of ingestion runs of the demo routes' queries
 * (most succeed, some are retried, a few fail every attempt and wait in the dead-letter list),
 * their provider calls (the providers page's charts), and a provider paused by the demo, so the
 * console shows something real on a fresh start. Every demo run's job id starts with "demo-"
 * (the console labels them); retrying one queues a real job for its (real) query.
 */

export const DEMO_CONSOLE_KEY = "demo_console";
const DEMO_CONSOLE_VERSION = "1";
const HOUR_MS = 3_600_000;

/** The demo's pause reason (the console and the search chips show it). */
export const DEMO_PAUSE_REASON = "Demo: paused to show the admin console; resume it under Admin → Providers.";

export interface DemoConsoleOptions {
  now?: Date;
  /** A provider to pause (null: none). */
  pausedProvider?: string | null;
  /** Queries to write runs for, hours of history, hours between runs. */
  queries?: number;
  hours?: number;
  everyHours?: number;
}

export async function demoConsoleSeeded(db: Db): Promise<boolean> {
  return (await getSetting(db, DEMO_CONSOLE_KEY)) === DEMO_CONSOLE_VERSION;
}

/** A small deterministic generator (the same demo on every machine). */
function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

type Outcome = "ok" | "retried" | "dead";

const FAILURES: Pick<RunProviderReport, "status" | "error">[] = [
  { status: "timeout", error: "no answer within 8000 ms" },
  { status: "error", error: "HTTP 503 Service Unavailable" },
  { status: "error", error: "HTTP 429 Too Many Requests" },
  { status: "circuit_open", error: "circuit open after repeated failures" },
];

/**
 * Writes the console's demo data once (a second call does nothing). Needs the demo price history
 * (its queries); without one, it writes nothing and returns 0 runs.
 */
export async function seedDemoConsole(db: Db, options: DemoConsoleOptions = {}): Promise<{ runs: number; paused: string | null }> {
  if (await demoConsoleSeeded(db)) return { runs: 0, paused: null };
  const now = options.now ?? new Date();
  const today = now.toISOString().slice(0, 10);
  const queries = await queryRows<{ id: number | string }>(
    db,
    sql`SELECT DISTINCT ON (origin, destination) id FROM flight_query
        WHERE departure_date >= ${today}::date + 7 ORDER BY origin, destination, departure_date LIMIT ${options.queries ?? 8}`,
  );
  if (queries.length === 0) return { runs: 0, paused: null };
  const random = generator(13);
  const providers = SIMULATED_SOURCES.map((s) => s.id);
  const hours = options.hours ?? 48;
  const every = options.everyHours ?? 3;
  const runs: (typeof ingestionRun.$inferInsert)[] = [];
  const calls: (typeof providerCall.$inferInsert)[] = [];

  const attempt = (queryId: number, jobId: string, n: number, dueAt: Date, startedAt: Date, failed: boolean, last: boolean) => {
    const reports: RunProviderReport[] = providers.map((provider) => {
      const failure = failed ? FAILURES[Math.floor(random() * FAILURES.length)]! : null;
      const latencyMs = failure?.status === "timeout" ? 8_000 : failure?.status === "circuit_open" ? 0 : Math.round(250 + random() * 1_100);
      return failure ? { provider, status: failure.status, offers: 0, latencyMs, error: failure.error } : { provider, status: "ok", offers: 20 + Math.floor(random() * 40), latencyMs };
    });
    const offers = reports.reduce((sum, r) => sum + r.offers, 0);
    const durationMs = Math.max(...reports.map((r) => r.latencyMs)) + 40;
    runs.push({
      jobId,
      attempt: n,
      queryId,
      status: failed ? "failed" : "succeeded",
      startedAt,
      finishedAt: new Date(startedAt.getTime() + durationMs),
      durationMs,
      dueAt,
      providers: reports,
      offers,
      snapshotsWritten: failed ? 0 : Math.round(offers * 0.8),
      observedAt: failed ? null : startedAt,
      error: failed ? reports.map((r) => `${r.provider}: ${r.error}`).join("; ") : null,
      resolution: failed && last ? "dead" : null,
    });
    for (const r of reports) {
      calls.push({
        observedAt: startedAt,
        queryId,
        provider: r.provider,
        status: r.status as "ok",
        latencyMs: r.latencyMs,
        offerCount: r.offers,
        attempts: r.status === "circuit_open" ? 0 : 1,
        error: r.error ?? null,
      });
    }
  };

  for (const [index, q] of queries.entries()) {
    const queryId = Number(q.id);
    for (let t = now.getTime() - hours * HOUR_MS + index * 11 * 60_000; t < now.getTime() - 10 * 60_000; t += every * HOUR_MS) {
      const dueAt = new Date(t);
      const startedAt = new Date(t + Math.round(random() * 90_000));
      const roll = random();
      const outcome: Outcome = roll < 0.05 ? "dead" : roll < 0.15 ? "retried" : "ok";
      const jobId = `${DEMO_JOB_PREFIX}${randomUUID()}`;
      if (outcome === "ok") {
        attempt(queryId, jobId, 1, dueAt, startedAt, false, false);
        continue;
      }
      const attempts = outcome === "dead" ? 3 : 2;
      // Retries come 1 and 4 minutes after the first attempt; a job too recent for all of them has only the first (a success).
      const retryAt = (n: number) => new Date(startedAt.getTime() + (n - 1) * 2 ** (n - 1) * 60_000);
      if (retryAt(attempts) > now) {
        attempt(queryId, jobId, 1, dueAt, startedAt, false, false);
        continue;
      }
      for (let n = 1; n <= attempts; n++) {
        const failed = outcome === "dead" || n < attempts;
        attempt(queryId, jobId, n, dueAt, retryAt(n), failed, outcome === "dead" && n === attempts);
      }
    }
  }

  const paused = options.pausedProvider === undefined ? null : options.pausedProvider;
  await db.transaction(async (tx) => {
    for (let i = 0; i < runs.length; i += 500) await tx.insert(ingestionRun).values(runs.slice(i, i + 500));
    for (let i = 0; i < calls.length; i += 500) await tx.insert(providerCall).values(calls.slice(i, i + 500)).onConflictDoNothing();
    if (paused && !(await readPausedProviders(tx))[paused]) {
      await setProviderPaused(tx, paused, { pausedAt: now.toISOString(), pausedBy: null, reason: DEMO_PAUSE_REASON });
      await recordAudit(tx, { action: "provider_paused", actorId: null, detail: { provider: paused, reason: DEMO_PAUSE_REASON, demo: true } });
    }
    await putSetting(tx, DEMO_CONSOLE_KEY, DEMO_CONSOLE_VERSION);
  });
  return { runs: runs.length, paused };
}
