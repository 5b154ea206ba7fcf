/**
 * Counters of this process, for the health and admin pages. Reset on restart; for long-term
 * numbers use the database (provider calls, ingestion runs) or a log pipeline.
 */
export const metrics = {
  searches: 0,
  searchCacheHits: 0,
  searchCacheMisses: 0,
  /** Price observations written (a fan-out's prices and provider reports), and rows in them. */
  observations: 0,
  snapshotRowsWritten: 0,
  snapshotWriteFailures: 0,
  /** Subscribers to observations that failed after the commit. */
  observerFailures: 0,
  cacheFailures: 0,
  rateLimiterFailures: 0,
  rateLimited: 0,
  /** Scheduled ingestion runs of this process that found prices, and those where no provider answered. */
  ingestionRuns: 0,
  ingestionFailures: 0,
  /** Queries the scheduler of this process handed to the queue. */
  ingestionEnqueued: 0,
  /** Alerts this process wrote (notifications), and deliveries of them it sent or failed (an attempt each). */
  alertsWritten: 0,
  deliveriesSent: 0,
  deliveriesFailed: 0,
};

export type Metrics = typeof metrics;
