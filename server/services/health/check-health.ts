import type { Database, Db } from "@/db/client";
import packageJson from "@/package.json";
import { emailDelivery } from "@/server/auth/email";
import { MemoryCache } from "@/server/cache/memory";
import type { Cache } from "@/server/cache/types";
import { UpstashCache } from "@/server/cache/upstash";
import type { AppConfig, AppContext } from "@/server/context";
import { SIMULATED_SOURCES } from "@/server/core/fare-model";
import { isProduction } from "@/server/env";
import { metrics, type Metrics } from "@/server/metrics";
import { resolveProviderIds } from "@/server/providers/registry";
import { createUpstashRedis } from "@/server/upstash";
import { checkCache, type CacheHealth } from "./cache-check";
import { checkDatabase, type DatabaseHealth } from "./database-check";
import { Deadline, urlHost, type DependencyHealth } from "./dependency";
import { checkProviders, type ProviderHealth, type ProviderSource } from "./provider-check";
import { checkQueue, type QueueHealth } from "./queue-check";
import { checkSmtp, type SmtpHealth } from "./smtp-check";

export type { DatabaseHealth } from "./database-check";

/**
 * ok: every dependency answers; degraded: the app serves, around something that does not (the
 * cache, the queue, email, a provider); unavailable: it cannot serve (its database is
 * unreachable or not migrated). HTTP 200 for the first two, 503 for the last.
 */
export type HealthStatus = "ok" | "degraded" | "unavailable";

export interface ReadinessReport {
  status: HealthStatus;
  /** The app can serve: its database answers and is migrated. */
  ready: boolean;
  version: string;
  time: string;
  uptimeSeconds: number;
  database: DatabaseHealth;
  cache: CacheHealth;
}

export interface HealthReport extends ReadinessReport {
  queue: QueueHealth;
  smtp: SmtpHealth;
  providers: ProviderHealth[];
  /** Counters of this process since it started (searches, cache, snapshot writes, limits). */
  counters: Metrics;
}

export interface HealthSources {
  config: AppConfig;
  /** The database, opened as the app opens it (migrated where this process is responsible). */
  database: () => Promise<Database>;
  /** The app's context: its cache, providers (with their breakers) and pauses. Without it, what the configuration says. */
  context?: () => Promise<AppContext>;
  /** The SMTP check (the app keeps its answers a while: smtpChecker). */
  smtp?: typeof checkSmtp;
}

export interface HealthOptions {
  /** The whole answer's bound: every check shares it. */
  timeoutMs?: number;
  /** What the database setting points at, shown when it cannot be opened. */
  describeTarget?: { engine: Database["engine"]; location: string };
}

/** Readiness: the database (reachable, migrated) and the cache (which may be down: the app serves without it). */
export async function checkReadiness(sources: HealthSources, options: HealthOptions = {}): Promise<ReadinessReport> {
  const run = start(sources, options);
  const [database, cache] = await Promise.all([run.database, run.cache()]);
  return { ...summary([database, cache], database), database, cache };
}

/** Every dependency, at once, within one deadline: what /api/health answers. */
export async function checkHealth(sources: HealthSources, options: HealthOptions = {}): Promise<HealthReport> {
  const run = start(sources, options);
  const { config } = sources;
  const delivery = emailDelivery(config.auth, { embedded: !config.database.url, production: isProduction });
  const [database, cache, queue, smtp, providers] = await Promise.all([
    run.database,
    run.cache(),
    checkQueue(run.db, config.tracking.workerMode, run.deadline),
    smtpWithin(sources.smtp ?? checkSmtp, config.auth.email.server, delivery, run.deadline),
    run.providers(),
  ]);
  return { ...summary([database, cache, queue, smtp, ...providers], database), database, cache, queue, smtp, providers, counters: { ...metrics } };
}

function summary(checks: DependencyHealth[], database: DatabaseHealth) {
  const ready = database.status === "ok";
  const degraded = checks.some((c) => c.status === "degraded" || c.status === "down");
  return {
    status: (!ready ? "unavailable" : degraded ? "degraded" : "ok") as HealthStatus,
    ready,
    version: packageJson.version,
    time: new Date().toISOString(),
    uptimeSeconds: Math.round(process.uptime()),
  };
}

/** The checks' shared parts: one deadline, one opening of the database and of the context. */
function start(sources: HealthSources, options: HealthOptions) {
  const deadline = new Deadline(options.timeoutMs ?? 5_000);
  const opened = sources.database();
  const db: Promise<Db> = opened.then((d) => d.db);
  db.catch(() => {});
  const context: Promise<AppContext | null> = sources.context ? deadline.race(sources.context(), "Building the app's context").catch(() => null) : Promise.resolve(null);
  const { config } = sources;
  return {
    deadline,
    db,
    database: checkDatabase(opened, deadline, options.describeTarget),
    async cache(): Promise<CacheHealth> {
      const cache = (await context)?.cache ?? cacheFromConfig(config);
      return checkCache(cache, deadline, { location: config.upstash ? urlHost(config.upstash.url) : null, secrets: config.upstash ? [config.upstash.token] : [] });
    },
    async providers(): Promise<ProviderHealth[]> {
      const ctx = await context;
      if (!ctx) return providersFromConfig(config);
      const list: ProviderSource[] = ctx.providers.map((p) => ({ id: p.id, name: p.provider.name, simulated: p.provider.simulated, breaker: p.breakerState() }));
      return checkProviders(list, { db, pauses: () => ctx.providerPauses.current() }, deadline);
    },
  };
}

/** The cache the configuration names, when the app's context could not be built (its database down). */
function cacheFromConfig(config: AppConfig): Cache {
  return config.upstash ? new UpstashCache(createUpstashRedis(config.upstash)) : new MemoryCache(1);
}

/** Without the app's context (its database down) no provider is in use: listed from the configuration. */
function providersFromConfig(config: AppConfig): ProviderHealth[] {
  let ids: string[];
  try {
    ids = resolveProviderIds(config.providers.providers, Boolean(config.providers.duffel));
  } catch {
    ids = [];
  }
  return ids.map((id) => {
    const simulated = SIMULATED_SOURCES.find((s) => s.id === id);
    return {
      status: "down",
      latencyMs: null,
      error: "Not in use: the app cannot start without its database.",
      note: null,
      id,
      name: simulated?.name ?? (id === "duffel" ? "Duffel" : id),
      simulated: Boolean(simulated),
      pausedSince: null,
      breaker: null,
      lastCall: null,
      recent: { calls: 0, failed: 0 },
    };
  });
}

async function smtpWithin(check: typeof checkSmtp, url: string | undefined, delivery: SmtpHealth["delivery"], deadline: Deadline): Promise<SmtpHealth> {
  try {
    return await deadline.race(check(url, delivery, deadline.remaining(100)), "The SMTP check");
  } catch (error) {
    return { status: "down", latencyMs: null, error: error instanceof Error ? error.message : String(error), note: null, delivery, server: urlHost(url), checkedAt: new Date().toISOString() };
  }
}
