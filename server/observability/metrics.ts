import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import packageJson from "@/package.json";

/**
 * The process's Prometheus metrics, scraped at /api/metrics (the app) and at a worker's own
 * /metrics. Names follow Prometheus's conventions: one `flight_tracker_` prefix, the unit in the
 * name, `_total` on counters. Every label value comes from a small fixed set (a route pattern, a
 * provider or queue name, a status), never from a request (a raw URL, a code typed, a user id):
 * each distinct value is a time series kept for ever.
 *
 * The counters of server/metrics.ts stay as they are for /api/health; these add labels and
 * histograms for an operator's dashboards.
 */

const PREFIX = "flight_tracker_";
/** Request handling, provider calls and jobs: from a few milliseconds to tens of seconds. */
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const PROVIDER_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16];

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const counter = <L extends string = never>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name: PREFIX + name, help, labelNames, registers });
  const histogram = <L extends string = never>(name: string, help: string, labelNames: readonly L[], buckets = SECONDS_BUCKETS) =>
    new Histogram<L>({ name: PREFIX + name, help, labelNames, buckets, registers });

  const info = new Gauge({ name: `${PREFIX}build_info`, help: "Always 1; the version of the app this process runs.", labelNames: ["version"], registers });
  info.set({ version: packageJson.version }, 1);

  return {
    registry,
    httpRequests: counter("http_requests_total", "API requests answered, by method, route pattern and status code.", ["method", "route", "status"]),
    httpDuration: histogram("http_request_duration_seconds", "Time to answer an API request (until its headers), by method, route pattern and status class.", [
      "method",
      "route",
      "status_class",
    ]),
    trpcCalls: counter("trpc_calls_total", "tRPC procedure calls (over HTTP or in process), by procedure, type and result code.", ["procedure", "type", "code"]),
    trpcDuration: histogram("trpc_call_duration_seconds", "Time a tRPC procedure took, by procedure and type.", ["procedure", "type"]),

    searches: counter("searches_total", "Flight searches served (each may cover several cabins)."),
    searchDuration: histogram("search_duration_seconds", "Time a flight search took, by whether every cabin came from the cache.", ["cache"]),
    searchCacheLookups: counter("search_cache_lookups_total", "Search cache lookups (one per cabin searched), by result: hit or miss.", ["result"]),
    cacheFailures: counter("cache_failures_total", "Cache operations that failed (served without the cache)."),

    providerCalls: counter("provider_calls_total", "Calls to price providers, by provider and outcome (ok, error, timeout, circuit_open).", ["provider", "outcome"]),
    providerDuration: histogram("provider_call_duration_seconds", "Time a provider call took, retries included, by provider and outcome.", ["provider", "outcome"], PROVIDER_BUCKETS),
    providerRetries: counter("provider_retries_total", "Extra attempts made after a provider's transient failures.", ["provider"]),
    providerOffers: counter("provider_offers_total", "Offers the providers returned.", ["provider"]),

    observationsWritten: counter("observations_written_total", "Price observations (one fan-out's prices) written to the database."),
    snapshotRowsWritten: counter("snapshot_rows_written_total", "Rows written to price_snapshot."),
    snapshotWriteFailures: counter("snapshot_write_failures_total", "Observations whose prices could not be written (the search was still answered)."),
    observerFailures: counter("observer_failures_total", "Subscribers to observations that failed after the commit."),

    queueJobs: new Gauge({
      name: `${PREFIX}queue_jobs`,
      help: "Jobs not yet done per queue, by state (waiting, retrying, active), read from the queue's tables at scrape time; the same figure from every process.",
      labelNames: ["queue", "state"],
      registers,
    }),
    jobs: counter("jobs_total", "Jobs this process ran, by queue and outcome (completed, failed).", ["queue", "outcome"]),
    jobDuration: histogram("job_duration_seconds", "Time a job took, by queue and outcome.", ["queue", "outcome"]),
    ingestScheduled: counter("ingest_jobs_scheduled_total", "Ingestion jobs the scheduler of this process handed to the queue."),

    alertsWritten: counter("alerts_written_total", "Alerts (notifications) written by this process's evaluator."),
    notifications: counter("notifications_total", "Notification delivery attempts, by channel (email, webhook, ntfy) and outcome (sent, failed).", ["channel", "outcome"]),

    rateLimitRejections: counter("rate_limit_rejections_total", "Requests refused by a rate limit, by limit and bucket kind.", ["limit", "bucket"]),
    rateLimiterFailures: counter("rate_limiter_failures_total", "Rate limiter checks that failed (the request was let through)."),
    collectErrors: counter("metrics_collect_errors_total", "Parts of a scrape that could not be read (the rest was answered), by collector.", ["collector"]),
  };
}

export type PromMetrics = ReturnType<typeof createMetrics>;

// One registry per process, on globalThis: Next.js dev reloads and the separate bundles of
// instrumentation.ts and the route handlers each evaluate this module, and a second registration
// of a name would throw.
const holder = globalThis as { __flightTrackerProm?: PromMetrics };
export const prom: PromMetrics = (holder.__flightTrackerProm ??= createMetrics());

export const METRICS_CONTENT_TYPE = prom.registry.contentType;

export interface QueueDepthRow {
  name: string;
  waiting: number;
  retrying: number;
  active: number;
}

export interface RenderOptions {
  /** Reads the queues' depths; a failure or a wait over `timeoutMs` leaves them out of this scrape. */
  queueDepths?: () => Promise<QueueDepthRow[]>;
  timeoutMs?: number;
}

/** The Prometheus text of every metric of this process, with the queues' depths read now. */
export async function renderMetrics(options: RenderOptions = {}): Promise<string> {
  if (options.queueDepths) await refreshQueueDepths(options.queueDepths, options.timeoutMs ?? 2_000);
  return prom.registry.metrics();
}

async function refreshQueueDepths(read: () => Promise<QueueDepthRow[]>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const depths = await Promise.race([
      read(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    prom.queueJobs.reset();
    for (const d of depths) {
      prom.queueJobs.set({ queue: d.name, state: "waiting" }, d.waiting);
      prom.queueJobs.set({ queue: d.name, state: "retrying" }, d.retrying);
      prom.queueJobs.set({ queue: d.name, state: "active" }, d.active);
    }
  } catch {
    // A database that is down must not fail the scrape; stale depths would mislead, so none.
    prom.queueJobs.reset();
    prom.collectErrors.inc({ collector: "queue_jobs" });
  } finally {
    clearTimeout(timer);
  }
}

/** Seconds since `started` (a performance.now() reading). */
export function secondsSince(started: number): number {
  return (performance.now() - started) / 1000;
}
