import { finishRun, targetsObserved, trackedQueryIds } from "@/db/queries/ingestion";
import { recordProviderCalls } from "@/db/queries/provider-calls";
import { applyObservations } from "@/db/queries/tracked-state";
import { DEFAULT_CADENCE, nextRefresh, type CadenceTier } from "@/server/core/ingestion-schedule";
import type { WrittenObservation } from "@/server/core/observation";
import { earliestToday } from "@/server/core/time";
import { metrics } from "@/server/metrics";
import { prom } from "@/server/observability/metrics";
import { traceFields } from "@/server/observability/tracing";
import { nudgeAlerts } from "@/server/alerts/nudge";
import { ObservationRegistry } from "./registry";

/** Some provider answered: an observation where every one failed says nothing about prices. */
const answered = (o: WrittenObservation) => o.providers.some((p) => p.status === "ok");

/**
 * Every subscriber to price observations, in one place. The app context registers them once
 * per process; tests that build their own context get the same ones. Inside the prices' own
 * transaction (so what they write commits or rolls back with the prices):
 * - provider-calls: how each provider did, so provider health is read from the database by any
 *   instance (and by the admin console).
 * - ingestion-runs: the run of a scheduled job that made the observation is recorded as done in
 *   the same transaction, so a retried job sees that and writes nothing twice.
 * - tracked-queries: any observation of a tracked query (a run, or someone's search) counts as
 *   its refresh (the next one is due a period later, by the cadence), and the tracked routes
 *   following it take the new prices, each check writing a `tracked_route.observed` event to
 *   the outbox for the alerts. A search of a query nobody tracks costs one lookup.
 * After the commit:
 * - metrics: the process's count of observations, on /api/health and /api/metrics.
 * - alerts: tells this process's alert evaluator (if it runs one) to look at the outbox now.
 */
export function registerObservationSubscribers(registry = new ObservationRegistry(), options: { cadence?: readonly CadenceTier[] } = {}): ObservationRegistry {
  const cadence = options.cadence ?? DEFAULT_CADENCE;
  return registry
    .onWrite("provider-calls", (observations, tx) => recordProviderCalls(tx, observations))
    .onWrite("ingestion-runs", async (observations, tx) => {
      for (const o of observations) {
        if (!o.run) continue;
        const ok = answered(o);
        await finishRun(tx, o.run.id, {
          status: ok ? "succeeded" : "failed",
          finishedAt: new Date(),
          durationMs: Date.now() - o.run.startedAt.getTime(),
          providers: o.providers.map((p) => ({ provider: p.provider, status: p.status, offers: p.offerCount, latencyMs: Math.round(p.latencyMs), ...(p.error ? { error: p.error } : {}) })),
          offers: o.offerCount,
          snapshotsWritten: o.written,
          observedAt: o.observedAt,
          error: ok ? null : o.providers.map((p) => `${p.provider}: ${p.error ?? p.status}`).join("; "),
          resolution: !ok && o.run.lastAttempt ? "dead" : null,
        });
      }
    })
    .onWrite("tracked-queries", async (observations, tx) => {
      // One lookup for the common case, a search nobody tracks: then nothing more is written.
      const tracked = await trackedQueryIds(
        tx,
        observations.map((o) => o.queryId),
      );
      if (tracked.size === 0) return;
      const ofTracked = observations.filter((o) => tracked.has(o.queryId));
      await targetsObserved(
        tx,
        ofTracked.filter(answered).map((o) => ({ queryId: o.queryId, observedAt: o.observedAt, nextDueAt: nextRefresh(o.queryId, o.query.departureDate, o.observedAt, cadence) })),
      );
      const latest = ofTracked.reduce((at, o) => (o.observedAt > at ? o.observedAt : at), new Date(0));
      await applyObservations(
        tx,
        ofTracked.map((o) => ({ queryId: o.queryId, observedAt: o.observedAt, answered: answered(o), roundTrip: o.query.returnDate !== null, departureDate: o.query.departureDate, offers: o.snapshots })),
        earliestToday(latest),
        // The alerts' evaluation of these events links its trace to this write's.
        traceFields(),
      );
    })
    .onCommit("metrics", () => {
      metrics.observations++;
      prom.observationsWritten.inc();
    })
    .onCommit("alerts", () => nudgeAlerts());
}
