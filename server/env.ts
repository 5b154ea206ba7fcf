import { createEnv } from "@t3-oss/env-nextjs";
import { z } from "zod";
// Relative: next.config.ts loads this file, without the @/ alias.
import { parseCadence } from "./core/ingestion-schedule";

/**
 * Every setting the app reads, validated once. Nothing is required: each variable has an
 * embedded or disabled default so a fresh checkout runs with no configuration at all.
 * Keep this list, `.env.example` and the README's configuration table in step.
 */
export const serverSchema = {
    /** PostgreSQL or TimescaleDB server. Unset: the embedded PGlite engine with TimescaleDB. */
    DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/, error: "DATABASE_URL must be a postgres:// or postgresql:// URL" })
      .optional(),
    /** Connections per app instance to the server database. */
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    /** Seconds to wait for a server connection before reporting the database unreachable. */
    DATABASE_CONNECT_TIMEOUT: z.coerce.number().int().min(1).max(120).default(5),
    /** Run pending migrations and load reference data when the app starts against a server. */
    DATABASE_MIGRATE_ON_START: z.stringbool().default(false),
    /** Write 90 days of simulated price history for 20 routes on the embedded engine's first start. */
    DEMO_HISTORY_ON_START: z.stringbool().default(true),
    /** With the demo history, the admin console's demo pauses this provider (`none`: none). */
    DEMO_PAUSED_PROVIDER: z
      .string()
      .trim()
      .regex(/^[a-z0-9-]+$/, "DEMO_PAUSED_PROVIDER must be a provider id such as farefinder, or none")
      .default("farefinder")
      .transform((id) => (id === "none" ? null : id)),
    /** Folder of the embedded database (used only without DATABASE_URL). */
    EMBEDDED_DATABASE_DIR: z.string().min(1).default(".data/pglite"),
    /** debug | info | warn | error */
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),

    /**
     * Price providers, comma-separated: simulated (both simulated sellers), skyway, farefinder,
     * duffel. Unset: duffel when DUFFEL_ACCESS_TOKEN is set, else simulated.
     */
    PROVIDERS: z
      .string()
      .regex(/^\s*[a-z]+(\s*,\s*[a-z]+)*\s*$/, "PROVIDERS must be a comma-separated list such as simulated,duffel")
      .optional(),
    /** Duffel API access token (test or live). Enables the Duffel provider. */
    DUFFEL_ACCESS_TOKEN: z.string().min(10).optional(),
    /** Duffel API base URL (tests point it at a local replay server). */
    DUFFEL_API_URL: z.url().default("https://api.duffel.com"),
    /** Simulated answer time in ms, "min-max" or one number. Unset: each seller's own (150-1200 ms). */
    SIMULATED_LATENCY_MS: z
      .string()
      .regex(/^\d{1,5}(-\d{1,5})?$/, "SIMULATED_LATENCY_MS must be a number of ms or a range such as 100-400")
      .optional(),
    /** Share of simulated calls that fail with a transient error (0 to 1). */
    SIMULATED_ERROR_RATE: z.coerce.number().min(0).max(1).default(0),
    /** Share of simulated calls that never answer (0 to 1). */
    SIMULATED_TIMEOUT_RATE: z.coerce.number().min(0).max(1).default(0),
    /** Simulated providers that always fail, comma-separated (for demos and tests). */
    SIMULATED_FAIL: z.string().default(""),
    /** Longest wait for one provider call, in ms. Unset: 6000 (DEFAULT_RESILIENCE). */
    PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).optional(),
    /** Longest wait for a whole search, all providers and retries included, in ms. */
    SEARCH_TIMEOUT_MS: z.coerce.number().int().min(200).max(120_000).default(8_000),
    /** Calls to one provider in flight at once, per app instance. Unset: 16 (DEFAULT_RESILIENCE). */
    PROVIDER_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).optional(),

    /** Seconds a search result is served from the cache. */
    SEARCH_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
    /** Upstash Redis REST endpoint and token: shared cache and rate limits. Unset: in memory. */
    UPSTASH_REDIS_REST_URL: z.url().optional(),
    UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
    /**
     * The rate limits (server/ratelimit, one table). Searches and airport lookups per minute,
     * REST and tRPC alike, by kind of caller: anonymous (per client address), signed-in (per
     * user), API key (per key). 0 turns that one off.
     */
    RATE_LIMIT_SEARCH_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(60),
    RATE_LIMIT_LOOKUP_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
    RATE_LIMIT_USER_SEARCH_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(120),
    RATE_LIMIT_USER_LOOKUP_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(1_200),
    RATE_LIMIT_KEY_SEARCH_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
    RATE_LIMIT_KEY_LOOKUP_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(3_000),
    /** Sign-in links asked for per email address, and per client address, in the sign-in window; 0 turns that one off. */
    RATE_LIMIT_SIGN_IN_PER_EMAIL: z.coerce.number().int().min(0).max(1_000_000).default(5),
    RATE_LIMIT_SIGN_IN_PER_ADDRESS: z.coerce.number().int().min(0).max(1_000_000).default(20),
    /** The sign-in limits' window, in minutes. */
    RATE_LIMIT_SIGN_IN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1_440).default(15),
    /** Most rows one CSV export of a route's snapshots may hold (the default row limit). */
    CSV_EXPORT_MAX_ROWS: z.coerce.number().int().min(1).max(10_000_000).default(100_000),
    /**
     * Tracking and scheduled ingestion (server/jobs). How often a tracked query is refreshed, by
     * days to departure: `days:hours` tiers, farthest first (`0:5m`: every 5 minutes).
     */
    INGEST_CADENCE: z
      .string()
      .refine((text) => parseCadence(text).ok, { error: (issue) => `INGEST_CADENCE: ${(parseCadence(String(issue.input)) as { error: string }).error}` })
      .default("60:12,14:6,0:2"),
    /** Seconds between the scheduler's ticks (one per period across all workers). */
    INGEST_TICK_SECONDS: z.coerce.number().int().min(1).max(3_600).default(30),
    /** Provider calls per minute that scheduled ingestion may make, per provider; `name:n` pairs override it for one. */
    INGEST_CALLS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(300),
    INGEST_PROVIDER_BUDGETS: z
      .string()
      .regex(/^\s*([a-z]+:\d{1,6}\s*(,\s*[a-z]+:\d{1,6}\s*)*)?$/, "INGEST_PROVIDER_BUDGETS must be name:calls pairs such as duffel:30,skyway:120")
      .default(""),
    /** Seconds an ingestion job may run before it is taken as lost (its worker killed) and retried. */
    INGEST_JOB_EXPIRE_SECONDS: z.coerce.number().int().min(10).max(3_600).default(120),
    /** Retries of a failed ingestion job (with backoff) before it goes to the dead-letter queue. */
    INGEST_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(3),
    /** Seconds before the first retry; each next one waits twice as long. */
    INGEST_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(3_600).default(30),
    /** Raw price snapshots older than this many days are dropped (the daily aggregate is kept); 0 keeps them all. */
    SNAPSHOT_RETENTION_DAYS: z.coerce.number().int().min(0).max(3_650).default(400),
    /**
     * Where the jobs run. app: inside the app process (the default on the embedded engine, whose
     * one process owns the database); worker: only in `npm run worker` processes, the app only
     * enqueues (the default with DATABASE_URL); off: nowhere (tests, read-only replicas).
     */
    WORKER_MODE: z.enum(["app", "worker", "off"]).optional(),
    /** On SIGTERM, how long a worker lets the jobs in hand finish before releasing them for a retry. */
    WORKER_STOP_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
    /** Jobs one worker process runs at once. */
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    /** The port `next start` listens on (Next reads it too); links sent out use it when AUTH_URL is unset. */
    PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
    /** How often (ms) a worker looks for new price checks to evaluate alert rules on (its own checks are taken at once). */
    ALERTS_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
    /**
     * Tests only: let webhooks and ntfy reach loopback addresses (127.0.0.1, ::1), which the SSRF
     * guard refuses otherwise. Private, link-local and metadata addresses stay refused.
     */
    ALERTS_ALLOW_LOOPBACK: z.stringbool().default(false),
    /** Tests and benchmarks only: multiplies the waits between delivery retries (0.001 = a thousand times sooner). */
    ALERTS_RETRY_SCALE: z.coerce.number().min(0.0001).max(1).default(1),
    /** Tests only: the worker kills itself at this point of an alert's path (crash tests). Refused in production. */
    ALERTS_TEST_CRASH: z
      .enum(["after-evaluation", "after-send"])
      .optional()
      .refine((value) => value === undefined || process.env.NODE_ENV !== "production", "ALERTS_TEST_CRASH is a test setting and is refused in production"),
    /**
     * A test control of the simulated market: POST /api/test/market moves a route's simulated
     * prices by a factor (to watch an alert fire). Refused in production with a database server.
     */
    SIMULATED_MARKET_CONTROL: z.stringbool().default(false),
    /** Routes one user may track. */
    TRACKED_ROUTES_PER_USER: z.coerce.number().int().min(1).max(10_000).default(50),
    /**
     * `npm run dev` only: more host names the app is opened by (comma-separated, `*.example.lan`
     * wildcards allowed), beyond localhost, 127.0.0.1 and this machine's own names and addresses.
     */
    ALLOWED_DEV_ORIGINS: z.string().default(""),
    /** Serve GET /api/bench/baseline, the fixed answer `npm run bench` compares the API with. */
    BENCH_ROUTES: z.stringbool().default(false),
    /** Reverse proxies in front of the app that append to X-Forwarded-For (for client addresses). */
    TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
    /**
     * The bound of a health answer, in ms (/api/health, /api/health/ready): every dependency is
     * checked at once, and one that does not answer in time is reported as such.
     */
    HEALTH_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
    /**
     * `next build` only: `standalone` writes a self-contained server to .next/standalone (the
     * Docker image runs it with `node server.js`). Unset: the usual build, which `next start`
     * (and `npm run app`) serve; `next start` does not serve a standalone build.
     */
    NEXT_OUTPUT: z.enum(["standalone"]).optional(),
    /**
     * Signs and encrypts what sign-in puts in cookies and links. Unset: one is generated on first
     * use and kept in the database, shared by every instance. AUTH_SECRET_1..3: earlier secrets,
     * still accepted while what they signed expires (rotation).
     */
    AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters (openssl rand -base64 32)").optional(),
    AUTH_SECRET_1: z.string().min(32).optional(),
    AUTH_SECRET_2: z.string().min(32).optional(),
    AUTH_SECRET_3: z.string().min(32).optional(),
    /** SMTP server for sign-in links, a URL such as smtps://user:pass@smtp.example.com:465. */
    EMAIL_SERVER: z.url({ protocol: /^smtps?$/, error: "EMAIL_SERVER must be an smtp:// or smtps:// URL" }).optional(),
    /** Sender of the app's email. */
    EMAIL_FROM: z.string().min(3).default("Flight Tracker <no-reply@flight-tracker.localhost>"),
    /** GitHub and Google sign-in, each shown when its id and secret are set. */
    /** The app's public URL (https://flights.example.com): sign-in links and callbacks use it, whatever Host a request says. */
    AUTH_URL: z.url().optional(),
    AUTH_GITHUB_ID: z.string().min(1).optional(),
    AUTH_GITHUB_SECRET: z.string().min(1).optional(),
    AUTH_GOOGLE_ID: z.string().min(1).optional(),
    AUTH_GOOGLE_SECRET: z.string().min(1).optional(),
    /** Addresses made admins when they sign in, comma-separated. */
    ADMIN_EMAILS: z.string().default(""),

    /**
     * Metrics and tracing (server/observability). A bearer token that GET /api/metrics and the
     * worker's GET /metrics require (`Authorization: Bearer <token>`); unset: they are open, so
     * keep them off the public network (the reverse proxy's job).
     */
    METRICS_TOKEN: z.string().trim().min(16, "METRICS_TOKEN must be at least 16 characters (openssl rand -hex 24)").optional(),
    /** Port of a worker's own metrics and liveness server (GET /metrics, GET /live); 0: none. */
    WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(9464),
    /** Address it listens on: every interface (a container needs that), or 127.0.0.1 to keep it on this machine. */
    WORKER_METRICS_HOST: z.string().trim().min(1).default("127.0.0.1"),
    /**
     * OpenTelemetry traces, sent over OTLP/HTTP when either endpoint is set (nothing is traced
     * otherwise). The base URL (`/v1/traces` is added), or the traces URL as is.
     */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
    /** http/protobuf (what collectors expect by default) or http/json. */
    OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(["http/protobuf", "http/json"]).default("http/protobuf"),
    /** Headers sent with each export, `name=value` pairs, comma-separated (an API key of a tracing service). */
    OTEL_EXPORTER_OTLP_HEADERS: z
      .string()
      .regex(/^\s*([^=,\s]+\s*=[^,]*)(,\s*[^=,\s]+\s*=[^,]*)*$/, "OTEL_EXPORTER_OTLP_HEADERS must be name=value pairs, comma-separated")
      .optional(),
    /** The service name on the traces. Unset: flight-tracker for the app, flight-tracker-worker for `npm run worker`. */
    OTEL_SERVICE_NAME: z.string().trim().min(1).optional(),
    /**
     * Which traces are kept (read by the OpenTelemetry SDK itself): always_on (the default),
     * traceidratio or parentbased_traceidratio with OTEL_TRACES_SAMPLER_ARG the share kept (0 to 1), ...
     */
    OTEL_TRACES_SAMPLER: z
      .enum(["always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"])
      .optional(),
    OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
    /** true turns tracing off even with an endpoint set (read by the SDK too). */
    OTEL_SDK_DISABLED: z.stringbool().default(false),
};

/**
 * The names of every variable above: the deployment's test checks that docker-compose.yml
 * passes each to the app's containers, or says why not (deploy/compose.test.ts).
 */
export const ENV_NAMES = Object.keys(serverSchema) as (keyof typeof serverSchema)[];

export const env = createEnv({
  server: serverSchema,
  client: {},
  experimental__runtimeEnv: {},
  emptyStringAsUndefined: true,
  // Name each bad variable and say what is wrong with it, in the error itself.
  onValidationError: (issues) => {
    const lines = issues.map((issue) => {
      const name = (issue.path ?? []).map((part) => (typeof part === "object" ? String(part.key) : String(part))).join(".");
      return `${name || "(environment)"}: ${issue.message}`;
    });
    throw new Error(`Invalid environment variables (see .env.example):\n  ${lines.join("\n  ")}`);
  },
});

export type Env = typeof env;

/** `next dev` (Next sets NODE_ENV): what only development needs, such as a looser page policy. */
export const isDevelopment = process.env.NODE_ENV === "development";

/** `next start` and `next build` (Next sets NODE_ENV): the development outbox needs more reason there. */
export const isProduction = process.env.NODE_ENV === "production";
