import type { Db } from "@/db/client";
import { providerCall } from "@/db/schema";
import type { ProviderReport } from "@/server/core/provider-report";

/** What one fan-out asked: its query, when, and each provider's report. */
export interface ProviderCalls {
  queryId: number;
  observedAt: Date;
  providers: ProviderReport[];
}

/**
 * One row per provider asked in each fan-out, in one statement. Idempotent, as the snapshots
 * are: a replay adds nothing.
 */
export async function recordProviderCalls(db: Db, fanOuts: ProviderCalls[]): Promise<void> {
  // A paused provider was not called: nothing to record of it.
  const reports = fanOuts.flatMap(({ queryId, observedAt, providers }) => providers.flatMap((r) => (r.status === "paused" ? [] : [{ queryId, observedAt, r: { ...r, status: r.status } }])));
  if (reports.length === 0) return;
  await db
    .insert(providerCall)
    .values(
      reports.map(({ queryId, observedAt, r }) => ({
        observedAt,
        queryId,
        provider: r.provider,
        status: r.status,
        latencyMs: Math.max(0, Math.round(r.latencyMs)),
        offerCount: r.offerCount,
        attempts: r.attempts,
        error: r.error,
      })),
    )
    .onConflictDoNothing();
}
