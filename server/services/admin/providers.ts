import { lastProviderErrors, providerStats, type CallStats, type ProviderErrorView } from "@/db/queries/admin";
import { recordAudit } from "@/db/queries/audit";
import { NotFoundError } from "@/server/core/errors";
import type { AppContext } from "@/server/context";
import { setProviderPaused, type ProviderPause } from "@/server/providers/pauses";
import type { BreakerState } from "@/server/providers/resilience";

/** What the admin's provider controls need from the app context. */
export type AdminProvidersContext = Pick<AppContext, "db" | "providers" | "providerPauses" | "clock">;

export interface ProviderControlView {
  id: string;
  name: string;
  simulated: boolean;
  /** This instance's circuit breaker. */
  breaker: BreakerState;
  /** Paused by an admin (on every instance), or null. */
  paused: ProviderPause | null;
}

export async function providerControls(ctx: AdminProvidersContext): Promise<ProviderControlView[]> {
  const paused = await ctx.providerPauses.current();
  return ctx.providers.map((p) => ({ id: p.id, name: p.provider.name, simulated: p.provider.simulated, breaker: p.breakerState(), paused: paused[p.id] ?? null }));
}

/**
 * Pauses or resumes a provider for live searches and scheduled ingestion on every instance
 * (each reads the pauses at most a second late; this one at once). Audited.
 */
export async function setProviderPause(ctx: AdminProvidersContext, adminId: string, input: { provider: string; paused: boolean; reason?: string }): Promise<ProviderControlView[]> {
  if (!ctx.providers.some((p) => p.id === input.provider)) throw new NotFoundError(`No provider "${input.provider}" is enabled here.`);
  const pause = input.paused ? { pausedAt: ctx.clock().toISOString(), pausedBy: adminId, reason: input.reason ?? null } : null;
  await ctx.db.transaction(async (tx) => {
    await setProviderPaused(tx, input.provider, pause);
    await recordAudit(tx, { action: input.paused ? "provider_paused" : "provider_resumed", actorId: adminId, detail: { provider: input.provider, ...(input.reason ? { reason: input.reason } : {}) } });
  });
  ctx.providerPauses.invalidate();
  return providerControls(ctx);
}

export interface ProviderHealth extends ProviderControlView {
  /** From provider_call (live searches and scheduled runs, every instance). */
  hour: CallStats;
  day: CallStats;
  /** Each of the last 24 hours, oldest first. */
  hourly: (CallStats & { hour: string })[];
  lastErrors: ProviderErrorView[];
}

const EMPTY_STATS: CallStats = { calls: 0, errors: 0, timeouts: 0, circuitOpen: 0, errorRate: 0, p50Ms: null, p95Ms: null };

/** Each enabled provider's controls with its recorded calls over the last hour and day, and its latest errors. */
export async function providerHealth(ctx: AdminProvidersContext & Pick<AppContext, "clock">, options: { errors?: number } = {}): Promise<ProviderHealth[]> {
  const [controls, stats] = await Promise.all([providerControls(ctx), providerStats(ctx.db, ctx.clock())]);
  const errors = options.errors ?? 5;
  const lastErrors = await Promise.all(controls.map((c) => (errors > 0 ? lastProviderErrors(ctx.db, c.id, errors) : Promise.resolve([]))));
  return controls.map((c, i) => {
    const s = stats.find((row) => row.provider === c.id);
    return { ...c, hour: s?.hour ?? EMPTY_STATS, day: s?.day ?? EMPTY_STATS, hourly: s?.hourly ?? [], lastErrors: lastErrors[i]! };
  });
}
