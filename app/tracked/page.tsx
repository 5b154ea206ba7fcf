import Link from "next/link";
import { RulesPanel } from "@/components/alerts/rules-panel";
import { CABIN_LABELS, formatAge, formatAmount, formatDate, formatUntil } from "@/components/format";
import { EditTracked } from "@/components/tracking/edit-tracked";
import { Sparkline } from "@/components/tracking/sparkline";
import { requireViewer } from "@/server/auth/viewer";
import type { CadenceTier } from "@/server/core/ingestion-schedule";
import { trackedSearchHref } from "@/server/core/links";
import { getAppContext } from "@/server/context";
import { listTracked, type TrackedRouteView } from "@/server/services/tracking/tracked-routes";
import { deleteTrackedAction, setTrackedStatus } from "./actions";

export const metadata = { title: "Tracked routes" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const SORTS = { departure: "Departure", change: "Biggest drop", newest: "Newest" } as const;
type SortKey = keyof typeof SORTS;

const PENDING_MESSAGES: Record<string, string> = {
  limit: "Your route was not tracked: you track as many routes as an account may. Delete one, then track it again.",
  invalid: "Your route was not tracked: its dates have passed or it is no longer valid. Search again to track it.",
  failed: "Your route could not be tracked just now. Search again and press Track prices.",
};

function period(hours: number): string {
  return hours < 1 ? `${Math.round(hours * 60)} min` : `${Number(hours.toFixed(2))} h`;
}

/** "every 12 h from 60 days before departure, every 6 h from 14 days, every 2 h after that" */
function describeCadence(tiers: readonly CadenceTier[]): string {
  return tiers
    .map((tier, i) =>
      tier.fromDays === 0 ? `every ${period(tier.everyHours)}${i > 0 ? " after that" : ""}` : `every ${period(tier.everyHours)} from ${tier.fromDays} days before departure`,
    )
    .join(", ");
}

function departureOf(route: TrackedRouteView): string {
  return route.price?.departureDate ?? route.departureDate ?? route.departFrom ?? "";
}

function sortRoutes(routes: TrackedRouteView[], sort: SortKey): TrackedRouteView[] {
  if (sort === "newest") return routes;
  if (sort === "departure") return [...routes].sort((a, b) => departureOf(a).localeCompare(departureOf(b)));
  // Biggest drop since tracking began first; routes without a price yet last.
  return [...routes].sort((a, b) => (a.change.sinceFirst?.amount ?? Infinity) - (b.change.sinceFirst?.amount ?? Infinity));
}

function Change({ change, label }: { change: { amount: number; currency: string } | null; label: string }) {
  if (!change) return null;
  const tone = change.amount < 0 ? "text-emerald-700 dark:text-emerald-400" : change.amount > 0 ? "text-red-700 dark:text-red-400" : "text-slate-600 dark:text-slate-400";
  const text = change.amount === 0 ? "no change" : `${change.amount < 0 ? "▼" : "▲"} ${formatAmount(Math.abs(change.amount), change.currency)}`;
  return (
    <span className={`text-xs font-medium ${tone}`}>
      {text} <span className="font-normal text-slate-600 dark:text-slate-400">{label}</span>
    </span>
  );
}

function describeDates(route: TrackedRouteView): string {
  if (route.kind === "flexible") {
    const window = `${formatDate(route.departFrom!)} – ${formatDate(route.departTo!)}`;
    return route.nights ? `departing ${window}, ${route.nights.min}–${route.nights.max} nights` : `departing ${window}, one way`;
  }
  const dates = route.returnDate ? `${formatDate(route.departureDate!)} – ${formatDate(route.returnDate)}` : `${formatDate(route.departureDate!)}, one way`;
  return route.kind === "itinerary" ? `${dates} · flights ${route.flightNumbers!.join(", ")}` : dates;
}

function searchLink(route: TrackedRouteView): string {
  return trackedSearchHref({
    origin: route.originCode,
    destination: route.destinationCode,
    departureDate: route.price?.departureDate ?? route.departureDate ?? route.departFrom!,
    returnDate: route.price ? route.price.returnDate : route.returnDate,
    cabin: route.cabin,
    ...route.passengers,
    currency: route.currency,
    maxStops: route.filters.maxStops,
  });
}

const STATE_STYLES = {
  active: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100",
  paused: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100",
  expired: "bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300",
};

function TrackedCard({ route, now, highlighted, userId }: { route: TrackedRouteView; now: number; highlighted: boolean; userId: string }) {
  const travellers = route.passengers.adults + route.passengers.children + route.passengers.infants;
  return (
    <article
      // The alert emails' "Your tracked routes" link comes to this card (/tracked#<id>).
      id={route.id}
      aria-label={`${route.originCode} to ${route.destinationCode}`}
      data-testid="tracked-route"
      data-checked-at={route.lastCheckedAt ?? ""}
      className={`rounded-xl border p-4 ${highlighted ? "border-brand-600 ring-2 ring-brand-100" : "border-slate-200 dark:border-slate-800"}`}
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 className="text-lg font-semibold">
            {route.originCode} → {route.destinationCode}{" "}
            <span className={`ml-1 rounded px-1.5 py-0.5 align-middle text-xs font-semibold ${STATE_STYLES[route.state]}`} data-testid="tracked-state">
              {route.state}
            </span>
          </h2>
          <p className="text-sm text-slate-700 dark:text-slate-300">
            {describeDates(route)} · {travellers} traveller{travellers > 1 ? "s" : ""} · {CABIN_LABELS[route.cabin]}
            {route.filters.maxStops !== null && ` · ${route.filters.maxStops === 0 ? "nonstop" : `≤ ${route.filters.maxStops} stop${route.filters.maxStops > 1 ? "s" : ""}`}`}
          </p>
        </div>
        <div className="text-right">
          {route.price ? (
            <>
              <p className="text-2xl font-bold tabular-nums" data-testid="tracked-price">
                {formatAmount(route.price.amount, route.price.currency)}
              </p>
              {route.kind === "flexible" && route.price.departureDate && (
                <p className="text-xs text-slate-600 dark:text-slate-400">
                  lowest on {formatDate(route.price.departureDate)}
                  {route.price.returnDate ? ` – ${formatDate(route.price.returnDate)}` : ""}
                </p>
              )}
              {route.price.simulated && (
                <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-900 dark:bg-amber-900 dark:text-amber-100">Simulated price</span>
              )}
            </>
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">{route.state === "active" ? "Waiting for the first check" : "No price yet"}</p>
          )}
        </div>
      </div>
      <div className="mt-3 flex flex-wrap items-center gap-x-5 gap-y-2">
        <Sparkline points={route.history} label={`Price over the last 30 days, ${route.history.length} checks`} />
        <div className="flex flex-col">
          <Change change={route.change.sinceFirst} label="since tracking began" />
          <Change change={route.change.sinceLast} label="since the last check" />
        </div>
        <p className="text-xs text-slate-600 dark:text-slate-400">
          {route.lastCheckedAt ? `Checked ${formatAge(route.lastCheckedAt, now)}` : "Not checked yet"}
          {route.nextCheckAt ? ` · next check ${formatUntil(route.nextCheckAt, now)}` : ""}
        </p>
      </div>
      <div className="mt-3 flex flex-wrap items-center gap-2 text-sm">
        {/* A plain link: a prefetch of /search would go without its query, which the proxy refuses. */}
        <a href={searchLink(route)} className="rounded-lg border border-slate-300 px-3 py-1 font-medium hover:bg-slate-50 dark:border-slate-600 dark:hover:bg-slate-800">
          Search now
        </a>
        {route.state !== "expired" && (
          <form action={setTrackedStatus}>
            <input type="hidden" name="id" value={route.id} />
            <input type="hidden" name="status" value={route.status === "active" ? "paused" : "active"} />
            <button type="submit" className="rounded-lg border border-slate-300 px-3 py-1 font-medium hover:bg-slate-50 dark:border-slate-600 dark:hover:bg-slate-800">
              {route.status === "active" ? "Pause" : "Resume"}
            </button>
          </form>
        )}
        <details className="group">
          <summary className="cursor-pointer list-none rounded-lg border border-slate-300 px-3 py-1 font-medium hover:bg-slate-50 dark:border-slate-600 dark:hover:bg-slate-800">Edit</summary>
          <EditTracked route={route} />
        </details>
        <details>
          <summary className="cursor-pointer list-none rounded-lg border border-red-300 px-3 py-1 font-medium text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-400 dark:hover:bg-red-950">
            Delete
          </summary>
          <form action={deleteTrackedAction} className="mt-2">
            <input type="hidden" name="id" value={route.id} />
            <button type="submit" className="rounded-lg bg-red-700 px-3 py-1 font-semibold text-white hover:bg-red-800">
              Stop tracking {route.originCode} → {route.destinationCode}
            </button>
          </form>
        </details>
      </div>
      <RulesPanel route={route} userId={userId} />
    </article>
  );
}

/** The signed-in user's tracked routes, sortable by departure and by change. Anonymous visitors go to sign in. */
export default async function TrackedPage({ searchParams }: Props) {
  const viewer = await requireViewer("/tracked");
  const params = await searchParams;
  const sort: SortKey = typeof params.sort === "string" && params.sort in SORTS ? (params.sort as SortKey) : "departure";
  const added = typeof params.added === "string" ? params.added : null;
  const pending = typeof params.pending === "string" ? PENDING_MESSAGES[params.pending] : undefined;
  const ctx = await getAppContext();
  const routes = sortRoutes(await listTracked(ctx, viewer.id), sort);
  const now = ctx.clock().getTime();
  return (
    <div className="mx-auto max-w-4xl px-4 py-8">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">Tracked routes</h1>
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
            Prices are checked by themselves: {describeCadence(ctx.config.tracking.cadence)}. Where alerts go:{" "}
            <Link href="/alerts" className="underline">
              alert settings
            </Link>
            .
          </p>
        </div>
        {routes.length > 1 && (
          <nav aria-label="Sort" className="flex gap-1 rounded-lg bg-slate-100 p-1 text-sm dark:bg-slate-800">
            {(Object.keys(SORTS) as SortKey[]).map((key) => (
              <Link
                key={key}
                href={`/tracked?sort=${key}`}
                aria-current={sort === key ? "true" : undefined}
                className={`rounded-md px-3 py-1 font-medium ${sort === key ? "bg-white shadow-sm dark:bg-slate-950" : "text-slate-700 dark:text-slate-300"}`}
              >
                {SORTS[key]}
              </Link>
            ))}
          </nav>
        )}
      </div>
      {added && routes.some((r) => r.id === added) && (
        <p role="status" className="mt-4 rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
          Now tracking this route. Its price is checked by itself from now on.
        </p>
      )}
      {pending && (
        <p role="alert" className="mt-4 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          {pending}
        </p>
      )}
      {routes.length === 0 ? (
        <div className="mt-6 rounded-xl border border-slate-200 p-6 text-center dark:border-slate-800">
          <p className="font-semibold">You are not tracking any route yet.</p>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            <Link href="/" className="underline">
              Search flights
            </Link>{" "}
            and press <strong>Track prices</strong>: the price is then checked for you, and its history kept.
          </p>
        </div>
      ) : (
        <ol className="mt-6 space-y-4" aria-label="Tracked routes">
          {routes.map((route) => (
            <li key={route.id}>
              <TrackedCard route={route} now={now} highlighted={route.id === added} userId={viewer.id} />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
