import { canonicalQuery, finishRun, jobSucceeded, startRun, targetFailed } from "@/db/queries/ingestion";
import { searchCacheKey } from "@/server/core/canonical-query";
import { toSnapshots } from "@/server/core/observation";
import { airportsOf, knownPlace } from "@/server/core/places";
import type { AppContext } from "@/server/context";
import { log } from "@/server/log";
import { metrics } from "@/server/metrics";
import { askProviders } from "@/server/services/search/fan-out";
import { reuseSeconds } from "@/server/services/search/search-flights";
import type { IngestJob } from "./queue";

/** An ingestion job as the worker hands it over. */
export interface IngestAttempt {
  id: string;
  data: IngestJob;
  /** 0 on the first attempt. */
  retryCount: number;
  /** How many retries the queue allows: failing at `retryCount` = `retryLimit`, the job is dead-lettered. */
  retryLimit?: number;
}

export type IngestOutcome = "succeeded" | "already-done" | "gone";

/** A run that found no prices: pg-boss retries it with backoff, then dead-letters it. */
export class IngestionFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IngestionFailed";
  }
}

/**
 * One scheduled refresh of one canonical query: asks every provider (no transaction is open
 * while they answer), then writes the snapshots, the provider calls, the tracked routes' new
 * state, their outbox events and this run's record in one transaction (the observation
 * subscribers). A retry of a job whose earlier attempt committed (its worker died after the
 * commit) finds that record and writes nothing. A run where no provider answered is recorded as
 * failed with each provider's reason, and thrown, for the queue to retry.
 */
export async function runIngestion(ctx: AppContext, job: IngestAttempt): Promise<IngestOutcome> {
  if (await jobSucceeded(ctx.db, job.id)) return "already-done";
  const query = await canonicalQuery(ctx.db, job.data.queryId);
  if (!query) return "gone";
  const startedAt = new Date();
  const lastAttempt = job.retryLimit !== undefined && job.retryCount >= job.retryLimit;
  const runId = await startRun(ctx.db, { jobId: job.id, attempt: job.retryCount + 1, queryId: job.data.queryId, startedAt, dueAt: new Date(job.data.dueAt) });
  const airports = {
    origins: airportsOf(knownPlace(ctx.reference, query.origin, "origin")),
    destinations: airportsOf(knownPlace(ctx.reference, query.destination, "destination")),
  };
  const answer = await askProviders(ctx, query, airports, () => {});
  const observation = await ctx.observations.record(
    { query, observedAt: new Date(answer.observedAt), snapshots: toSnapshots(answer.offers), providers: answer.providers, run: { id: runId, startedAt, lastAttempt } },
    { immediate: true },
  );
  if (!observation) {
    await finishRun(ctx.db, runId, {
      status: "failed",
      finishedAt: new Date(),
      durationMs: Date.now() - startedAt.getTime(),
      providers: [],
      offers: answer.offers.length,
      snapshotsWritten: 0,
      observedAt: null,
      error: "The prices could not be written (see the log).",
      resolution: lastAttempt ? "dead" : null,
    });
    throw new IngestionFailed("The prices could not be written.");
  }
  if (!answer.providers.some((p) => p.status === "ok")) {
    metrics.ingestionFailures++;
    // Not due again before the queue's retries have had their turn.
    await targetFailed(ctx.db, job.data.queryId, new Date(Date.now() + ctx.config.tracking.retryDelaySeconds * 1000));
    throw new IngestionFailed(answer.providers.map((p) => `${p.provider}: ${p.error ?? p.status}`).join("; "));
  }
  metrics.ingestionRuns++;
  // Searches of the same query meanwhile are served this fresh answer.
  const ttl = reuseSeconds(answer.providers, ctx.config.search.cacheTtlSeconds);
  if (ttl > 0) {
    await ctx.cache.set(searchCacheKey(query, ctx.providers.map((p) => p.id)), answer, ttl).catch((error: unknown) => log.warn("ingestion answer not cached", { err: error }));
  }
  return "succeeded";
}
