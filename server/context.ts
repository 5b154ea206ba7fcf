import { openEmbedded, openServer, redactUrl, type Database, type Db } from "@/db/client";
import { prepareDatabase, startEmbeddedMaintenance } from "@/db/prepare";
import { loadReference } from "@/db/queries/reference";
import type { Reference } from "@/server/core/reference";
import { MemoryCache } from "@/server/cache/memory";
import { SafeCache } from "@/server/cache/safe";
import type { Cache } from "@/server/cache/types";
import { UpstashCache } from "@/server/cache/upstash";
import { parseCadence, type CadenceTier } from "@/server/core/ingestion-schedule";
import { env, isProduction, type Env } from "@/server/env";
import { log } from "@/server/log";
import { metrics } from "@/server/metrics";
import { prom } from "@/server/observability/metrics";
import { ObservationRegistry } from "@/server/observations/registry";
import { registerObservationSubscribers } from "@/server/observations/subscribers";
import { ObservationWriter } from "@/server/observations/writer";
import { duffelProvider } from "@/server/providers/duffel";
import { createProviders, DEFAULT_RESILIENCE, type ProviderSettings } from "@/server/providers/registry";
import { marketFactorSource } from "@/server/providers/market-control";
import { ProviderPauses } from "@/server/providers/pauses";
import type { ResilientProvider } from "@/server/providers/resilience";
import { createLimiters, type Limiters, type Limits } from "@/server/ratelimit";
import { createUpstashRedis } from "@/server/upstash";

/**
 * The app's dependencies, built once per process from the configuration: every transport
 * (tRPC, REST, pages), script and (later) worker takes them from here and adds what belongs to
 * one request (the session, the client address, a request id) on top, never into it. Tests
 * build their own with `createAppContext`, giving real engines and faking only what we do not
 * own (test/app-context.ts).
 */
export interface AppContext {
  readonly config: AppConfig;
  /** The database: engine, location and handle, migrated where this process is responsible for that. */
  readonly database: Database;
  readonly db: Db;
  /** Airports, airlines and metro codes in memory, read once. */
  readonly reference: Reference;
  /** Search answers; in memory or Upstash Redis, failures degrade to a miss. */
  readonly cache: Cache;
  /** The limiter of a limit for one kind of bucket (server/ratelimit), or null when that one is off. */
  readonly limiter: Limiters;
  /** The enabled price providers, each with its own circuit breaker and concurrency limit. */
  readonly providers: ResilientProvider[];
  /** The providers an admin paused (read from the database, at most once a second). */
  readonly providerPauses: ProviderPauses;
  /** The write path of price observations; it publishes each to `observers`. */
  readonly observations: ObservationWriter;
  readonly observers: ObservationRegistry;
  clock(): Date;
}

/** The configuration as the app uses it: env.ts validates the variables, this gives them shape. */
export interface AppConfig {
  database: { url?: string; poolMax: number; connectTimeoutSeconds: number; migrateOnStart: boolean; embeddedDir: string };
  search: {
    cacheTtlSeconds: number;
    /** Budget of a whole fan-out, in ms. */
    timeoutMs: number;
    /** Answer before the prices are written (the app); scripts and tests wait for the write. */
    writeBehind: boolean;
  };
  providers: ProviderSettings;
  upstash: { url: string; token: string } | null;
  limits: Limits;
  /** Reverse proxies in front that append to X-Forwarded-For. */
  trustedProxies: number;
  csvExportMaxRows: number;
  demoHistoryOnStart: boolean;
  /** The provider the admin console's demo data pauses, or null. */
  demoPausedProvider: string | null;
  tracking: TrackingConfig;
  alerts: AlertsConfig;
  auth: {
    /** AUTH_SECRET and the earlier ones still accepted; none set: the database keeps a generated one. */
    secret?: string;
    previousSecrets: string[];
    /** AUTH_URL: where sign-in links may point; unset, at the names this machine answers to. */
    publicUrl?: string;
    email: { server?: string; from: string };
    github?: { clientId: string; clientSecret: string };
    google?: { clientId: string; clientSecret: string };
    /** Lower-cased. */
    adminEmails: string[];
  };
}

/** Price alerts' evaluation and delivery (server/alerts). */
export interface AlertsConfig {
  pollMs: number;
  /** Tests only: webhooks and ntfy may reach loopback. */
  allowLoopback: boolean;
  /** Multiplies the waits between delivery retries. */
  retryScale: number;
  /** Tests only: where a worker kills itself. */
  crashAt?: "after-evaluation" | "after-send";
  /** The simulated market's test control (POST /api/test/market). */
  marketControl: boolean;
  /** Where this app listens: links sent out point here when AUTH_URL is unset. */
  port?: number;
}

/** Tracked routes and the job queue that refreshes them (server/jobs). */
export interface TrackingConfig {
  cadence: CadenceTier[];
  tickSeconds: number;
  /** Provider calls per minute scheduled ingestion may make: per provider id, else `default`. */
  budgets: { default: number; byProvider: Record<string, number> };
  jobExpireSeconds: number;
  retryLimit: number;
  retryDelaySeconds: number;
  /** 0: snapshots are kept for ever. */
  retentionDays: number;
  /** Where jobs run: in this app process, only in worker processes, or nowhere. */
  workerMode: "app" | "worker" | "off";
  workerConcurrency: number;
  routesPerUser: number;
}

export function configFromEnv(e: Env = env): AppConfig {
  return {
    database: {
      url: e.DATABASE_URL,
      poolMax: e.DATABASE_POOL_MAX,
      connectTimeoutSeconds: e.DATABASE_CONNECT_TIMEOUT,
      migrateOnStart: e.DATABASE_MIGRATE_ON_START,
      embeddedDir: e.EMBEDDED_DATABASE_DIR,
    },
    search: { cacheTtlSeconds: e.SEARCH_CACHE_TTL_SECONDS, timeoutMs: e.SEARCH_TIMEOUT_MS, writeBehind: true },
    providers: {
      providers: e.PROVIDERS,
      duffel: e.DUFFEL_ACCESS_TOKEN ? { token: e.DUFFEL_ACCESS_TOKEN, baseUrl: e.DUFFEL_API_URL } : undefined,
      simulatedLatencyMs: e.SIMULATED_LATENCY_MS,
      simulatedErrorRate: e.SIMULATED_ERROR_RATE,
      simulatedTimeoutRate: e.SIMULATED_TIMEOUT_RATE,
      simulatedFail: e.SIMULATED_FAIL,
      resilience: {
        ...DEFAULT_RESILIENCE,
        timeoutMs: e.PROVIDER_TIMEOUT_MS ?? DEFAULT_RESILIENCE.timeoutMs,
        concurrency: e.PROVIDER_CONCURRENCY ?? DEFAULT_RESILIENCE.concurrency,
      },
    },
    upstash: e.UPSTASH_REDIS_REST_URL && e.UPSTASH_REDIS_REST_TOKEN ? { url: e.UPSTASH_REDIS_REST_URL, token: e.UPSTASH_REDIS_REST_TOKEN } : null,
    limits: {
      search: { windowSeconds: 60, requests: { address: e.RATE_LIMIT_SEARCH_PER_MINUTE, user: e.RATE_LIMIT_USER_SEARCH_PER_MINUTE, key: e.RATE_LIMIT_KEY_SEARCH_PER_MINUTE } },
      lookup: { windowSeconds: 60, requests: { address: e.RATE_LIMIT_LOOKUP_PER_MINUTE, user: e.RATE_LIMIT_USER_LOOKUP_PER_MINUTE, key: e.RATE_LIMIT_KEY_LOOKUP_PER_MINUTE } },
      signIn: { windowSeconds: e.RATE_LIMIT_SIGN_IN_WINDOW_MINUTES * 60, requests: { email: e.RATE_LIMIT_SIGN_IN_PER_EMAIL, address: e.RATE_LIMIT_SIGN_IN_PER_ADDRESS } },
    },
    trustedProxies: e.TRUSTED_PROXIES,
    csvExportMaxRows: e.CSV_EXPORT_MAX_ROWS,
    demoHistoryOnStart: e.DEMO_HISTORY_ON_START,
    demoPausedProvider: e.DEMO_PAUSED_PROVIDER,
    tracking: {
      cadence: (parseCadence(e.INGEST_CADENCE) as { tiers: CadenceTier[] }).tiers,
      tickSeconds: e.INGEST_TICK_SECONDS,
      budgets: {
        default: e.INGEST_CALLS_PER_MINUTE,
        byProvider: Object.fromEntries(
          e.INGEST_PROVIDER_BUDGETS.split(",")
            .map((pair) => pair.trim().split(":"))
            .filter(([name, n]) => name && n)
            .map(([name, n]) => [name!, Number(n)]),
        ),
      },
      jobExpireSeconds: e.INGEST_JOB_EXPIRE_SECONDS,
      retryLimit: e.INGEST_RETRY_LIMIT,
      retryDelaySeconds: e.INGEST_RETRY_DELAY_SECONDS,
      retentionDays: e.SNAPSHOT_RETENTION_DAYS,
      // One process owns an embedded database, so its jobs run there; a server's run in workers.
      workerMode: e.WORKER_MODE ?? (e.DATABASE_URL ? "worker" : "app"),
      workerConcurrency: e.WORKER_CONCURRENCY,
      routesPerUser: e.TRACKED_ROUTES_PER_USER,
    },
    alerts: {
      pollMs: e.ALERTS_POLL_MS,
      allowLoopback: e.ALERTS_ALLOW_LOOPBACK,
      retryScale: e.ALERTS_RETRY_SCALE,
      crashAt: e.ALERTS_TEST_CRASH,
      marketControl: e.SIMULATED_MARKET_CONTROL,
      port: e.PORT,
    },
    auth: {
      secret: e.AUTH_SECRET,
      previousSecrets: [e.AUTH_SECRET_1, e.AUTH_SECRET_2, e.AUTH_SECRET_3].filter((s): s is string => Boolean(s)),
      publicUrl: e.AUTH_URL,
      email: { server: e.EMAIL_SERVER, from: e.EMAIL_FROM },
      github: e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET ? { clientId: e.AUTH_GITHUB_ID, clientSecret: e.AUTH_GITHUB_SECRET } : undefined,
      google: e.AUTH_GOOGLE_ID && e.AUTH_GOOGLE_SECRET ? { clientId: e.AUTH_GOOGLE_ID, clientSecret: e.AUTH_GOOGLE_SECRET } : undefined,
      adminEmails: e.ADMIN_EMAILS.split(",")
        .map((a) => a.trim().toLowerCase())
        .filter(Boolean),
    },
  };
}

/** What the database setting points at, safe to show, before anything is opened. */
export function databaseTarget(config: AppConfig["database"]): { engine: Database["engine"]; location: string } {
  return config.url ? { engine: "server", location: redactUrl(config.url) } : { engine: "embedded", location: config.embeddedDir };
}

/** Opens the configured database (server connections are made on first use). */
export function openDatabase(config: AppConfig["database"]): Promise<Database> {
  return config.url
    ? openServer({ url: config.url, poolMax: config.poolMax, connectTimeoutSeconds: config.connectTimeoutSeconds })
    : openEmbedded({ dataDir: config.embeddedDir });
}

export interface AppContextParts {
  config: AppConfig;
  database: Database;
  reference: Reference;
  /** Anything not given is built from the configuration. */
  cache?: Cache;
  limiter?: AppContext["limiter"];
  providers?: ResilientProvider[];
  providerPauses?: ProviderPauses;
  observers?: ObservationRegistry;
  observations?: ObservationWriter;
  clock?: () => Date;
}

/** A context from an open database and its reference data; the rest is built from the configuration. */
export function createAppContext(parts: AppContextParts): AppContext {
  const { config, database, reference } = parts;
  // One client for the cache and the limits; making it does no I/O.
  const redis = config.upstash ? createUpstashRedis(config.upstash) : null;
  const observers = parts.observers ?? registerObservationSubscribers(new ObservationRegistry(), { cadence: config.tracking.cadence });
  return {
    config,
    database,
    db: database.db,
    reference,
    cache:
      parts.cache ??
      new SafeCache(redis ? new UpstashCache(redis) : new MemoryCache(), ({ operation, error }) => {
        metrics.cacheFailures++;
        prom.cacheFailures.inc();
        log.warn("cache unavailable, serving without it", { operation, err: error });
      }),
    limiter:
      parts.limiter ??
      createLimiters(config.limits, redis, (limit, error) => {
        metrics.rateLimiterFailures++;
        prom.rateLimiterFailures.inc();
        log.warn("rate limiter unavailable, letting requests through", { limit, err: error });
      }),
    providers:
      parts.providers ??
      createProviders(config.providers, {
        loadReference: async () => reference,
        createDuffel: duffelProvider,
        marketFactor: marketControlOn(config, database) ? marketFactorSource(database.db) : undefined,
      }),
    providerPauses: parts.providerPauses ?? new ProviderPauses(database.db),
    observers,
    observations: parts.observations ?? new ObservationWriter(database.db, { observers }),
    clock: parts.clock ?? (() => new Date()),
  };
}

/** The simulated market's test control: when SIMULATED_MARKET_CONTROL asks for it, except in production with a database server. */
export function marketControlOn(config: Pick<AppConfig, "alerts">, database: Pick<Database, "engine">): boolean {
  return config.alerts.marketControl && !(isProduction && database.engine === "server");
}

interface Holder {
  ready?: Promise<Database>;
  context?: Promise<AppContext>;
  stopMaintenance?: () => void;
}

// On globalThis so that Next.js dev reloads keep one database, cache and set of circuit breakers.
const holder: Holder = ((globalThis as { __flightTracker?: Holder }).__flightTracker ??= {});

/**
 * The configured database, opened once per process and made ready where this process is
 * responsible for that (always for the embedded engine; for a server with
 * DATABASE_MIGRATE_ON_START). The health check uses it alone, so it can report a database that
 * is reachable but not migrated. A failure is reported to the caller and retried on the next call.
 */
export function getReadyDatabase(): Promise<Database> {
  holder.ready ??= (async () => {
    const config = configFromEnv();
    const database = await openDatabase(config.database);
    try {
      const embedded = database.engine === "embedded";
      if (embedded || config.database.migrateOnStart) await prepareDatabase(database);
      if (embedded) holder.stopMaintenance ??= startEmbeddedMaintenance(database);
      return database;
    } catch (error) {
      await database.close().catch(() => {});
      throw error;
    }
  })().catch((error: unknown) => {
    holder.ready = undefined;
    throw error;
  });
  return holder.ready;
}

/**
 * Whether this process runs TimescaleDB's policy jobs itself: only on the embedded engine,
 * which has no background workers. A TimescaleDB server runs them with its own scheduler, and
 * the app must not run them a second time there.
 */
export function runsTimescalePolicies(): boolean {
  return holder.stopMaintenance !== undefined;
}

/** The app's context, built once per process. A failure (the database unreachable) is retried on the next call. */
export function getAppContext(): Promise<AppContext> {
  holder.context ??= (async () => {
    const database = await getReadyDatabase();
    return createAppContext({ config: configFromEnv(), database, reference: await loadReference(database.db) });
  })().catch((error: unknown) => {
    holder.context = undefined;
    throw error;
  });
  return holder.context;
}

/** Writes what is pending and closes the database (scripts; the app keeps its context for life). */
export async function closeAppContext(): Promise<void> {
  const context = await holder.context?.catch(() => undefined);
  await context?.observations.flush();
  holder.stopMaintenance?.();
  const ready = holder.ready;
  Object.assign(holder, { ready: undefined, context: undefined, stopMaintenance: undefined });
  await (await ready?.catch(() => undefined))?.close();
}
