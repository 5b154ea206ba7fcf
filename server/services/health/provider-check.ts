import type { Db } from "@/db/client";
import { latestProviderCalls, type RecentProviderCall } from "@/db/queries/health";
import type { PausedProviders } from "@/server/providers/pauses";
import type { BreakerState } from "@/server/providers/resilience";
import { safeMessage, since, type Deadline, type DependencyHealth, type DependencyStatus } from "./dependency";

/** The calls looked at: the last few of each provider, if made within the window. */
export const RECENT_CALLS = 5;
export const RECENT_WINDOW_MINUTES = 60;

export interface ProviderHealth extends DependencyHealth {
  id: string;
  name: string;
  simulated: boolean;
  /** Paused by an admin (every instance skips it), since when. */
  pausedSince: string | null;
  /** This instance's circuit breaker for it; null when the app's providers are not built. */
  breaker: BreakerState | null;
  /** Its latest recorded call (any instance). */
  lastCall: Omit<RecentProviderCall, "provider" | "recent"> | null;
  /** Of its last RECENT_CALLS calls, those made in the last RECENT_WINDOW_MINUTES, and how many failed. */
  recent: { calls: number; failed: number };
}

export interface ProviderSource {
  id: string;
  name: string;
  simulated: boolean;
  breaker: BreakerState | null;
}

/**
 * Each enabled provider, without calling it (a health check must not spend a provider's quota
 * or wait on it): paused or not, this instance's breaker, and how its latest calls went as
 * provider_call recorded them across instances. Down: its breaker is open, or every one of its
 * last calls failed; degraded: most of them failed, or its breaker is letting one probe through.
 */
export async function checkProviders(
  providers: ProviderSource[],
  sources: { db: Promise<Db>; pauses: () => Promise<PausedProviders> },
  deadline: Deadline,
): Promise<ProviderHealth[]> {
  const started = performance.now();
  let calls: RecentProviderCall[] = [];
  let pauses: PausedProviders = {};
  let unread: string | null = null;
  try {
    const db = await deadline.race(sources.db, "Opening the database");
    [calls, pauses] = await deadline.race(
      Promise.all([latestProviderCalls(db, providers.map((p) => p.id), { perProvider: RECENT_CALLS, windowMinutes: RECENT_WINDOW_MINUTES }), sources.pauses()]),
      "Reading the providers' latest calls",
    );
  } catch (error) {
    unread = `Their recorded calls and pauses cannot be read: ${safeMessage(error)}`;
  }
  const latencyMs = unread ? null : since(started);
  return providers.map((provider) => {
    const own = calls.filter((c) => c.provider === provider.id);
    const recent = own.filter((c) => c.recent);
    const failed = recent.filter((c) => c.status !== "ok");
    const last = own[0];
    const pause = pauses[provider.id];
    const verdict = judge(provider.breaker, recent.length, failed.length);
    const health: ProviderHealth = {
      status: pause ? "disabled" : verdict.status,
      latencyMs,
      error: pause ? null : (verdict.error ?? unread),
      note: pause ? "Paused by an administrator: searches and scheduled runs skip it." : null,
      id: provider.id,
      name: provider.name,
      simulated: provider.simulated,
      pausedSince: pause?.pausedAt ?? null,
      breaker: provider.breaker,
      lastCall: last ? { at: last.at, status: last.status, latencyMs: last.latencyMs, error: last.error } : null,
      recent: { calls: recent.length, failed: failed.length },
    };
    if (!pause && unread && health.status === "ok") health.status = "degraded";
    return health;
  });
}

function judge(breaker: BreakerState | null, calls: number, failed: number): { status: DependencyStatus; error: string | null } {
  if (breaker === "open") return { status: "down", error: "Its circuit breaker is open after repeated failures: searches skip it for now." };
  if (calls >= RECENT_CALLS && failed === calls) return { status: "down", error: `Its last ${calls} calls failed.` };
  if (failed * 2 > calls) return { status: "degraded", error: `${failed} of its last ${calls} calls failed.` };
  if (breaker === "half_open") return { status: "degraded", error: "Its circuit breaker is trying it again after failures." };
  return { status: "ok", error: null };
}
