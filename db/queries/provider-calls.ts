import type { Db } from "@/db/client";
import { providerCall } from "@/db/schema";
import type { ProviderReport } from "@/server/core/provider-report";

/** One row per provider asked in a fan-out. Idempotent, as the snapshots are: a replay adds nothing. */
export async function recordProviderCalls(db: Db, queryId: number, observedAt: Date, reports: ProviderReport[]): Promise<void> {
  if (reports.length === 0) return;
  await db
    .insert(providerCall)
    .values(
      reports.map((r) => ({
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
