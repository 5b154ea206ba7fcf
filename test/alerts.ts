import { TRACKED_ROUTE_OBSERVED, type TrackedRouteObserved } from "@/db/queries/tracked-state";
import { ensureUser } from "@/db/queries/users";
import { eventOutbox } from "@/db/schema";
import type { AppContext } from "@/server/context";
import { addDays } from "@/server/core/time";
import { deleteChannel, listChannels } from "@/server/services/alerts/alerts";
import { trackRoute } from "@/server/services/tracking/tracked-routes";

let sequence = 0;

/** A user with a tracked route (LHR-CDG, GBP) and no channel yet (tracking adds the account's email: removed unless `keepEmail`). */
export async function trackedForAlerts(ctx: AppContext, options: { keepEmail?: boolean; name?: string } = {}) {
  const user = await ensureUser(ctx.db, `${options.name ?? "alerts"}-${Date.now()}-${sequence++}@example.test`);
  const route = await trackRoute(ctx, user.id, {
    kind: "exact",
    originCode: "LHR",
    destinationCode: "CDG",
    departureDate: addDays(ctx.clock().toISOString().slice(0, 10), 60),
    cabin: "economy",
    adults: 1,
    children: 0,
    infants: 0,
    currency: "GBP",
  });
  if (!options.keepEmail) for (const channel of await listChannels(ctx, user.id)) await deleteChannel(ctx, user.id, channel.id);
  return { userId: user.id, email: user.email!, route };
}

/**
 * Checks of a tracked route written to the outbox as ingestion writes them (minutes before
 * `now`, oldest first): how tests put an alert on the way without running providers.
 */
export async function observeChecks(ctx: AppContext, target: { userId: string; route: { id: string; departureDate: string | null } }, checks: { minutesAgo: number; priceMinor: number }[]): Promise<void> {
  const events: TrackedRouteObserved[] = checks.map((c) => ({
    trackedRouteId: target.route.id,
    userId: target.userId,
    observedAt: new Date(ctx.clock().getTime() - c.minutesAgo * 60_000).toISOString(),
    priceMinor: c.priceMinor,
    previousPriceMinor: null,
    firstPriceMinor: checks[0]!.priceMinor,
    currency: "GBP",
    departureDate: target.route.departureDate,
    returnDate: null,
    itineraryKey: null,
    provider: "skyway",
    simulated: true,
  }));
  await ctx.db
    .insert(eventOutbox)
    .values(events.map((e) => ({ topic: TRACKED_ROUTE_OBSERVED, key: `${e.trackedRouteId}@${e.observedAt}`, payload: { ...e } })))
    .onConflictDoNothing();
}
