import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CABIN_LABELS, formatDate, formatPrice } from "@/components/format";
import { DateGrid } from "@/components/route/date-grid";
import { RouteHistory } from "@/components/route/route-history";
import { toSearchParams } from "@/components/search/form-values";
import { NotFoundError, ValidationError } from "@/server/core/errors";
import { CABINS, type Cabin } from "@/server/core/offer";
import { parseRouteSlug } from "@/server/services/route-prices";
import { getQueryClient, HydrateClient, trpc } from "@/server/trpc/rsc";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ route: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { route } = await params;
  return { title: `${route.toUpperCase().replace("-", " → ")} price history` };
}

function slugOrNotFound(slug: string): [string, string] {
  try {
    return parseRouteSlug(slug);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

/**
 * A route's price history: chart, date grid and CSV export. Everything is read in process
 * through tRPC, in parallel, and hydrated into the browser's cache.
 */
export default async function RoutePage({ params, searchParams }: Props) {
  const [origin, destination] = slugOrNotFound((await params).route);
  const query = toSearchParams(await searchParams);
  const daysParam = Number(query.get("days"));
  const days = daysParam === 30 || daysParam === 180 ? daysParam : 90;
  const date = /^\d{4}-\d{2}-\d{2}$/.test(query.get("date") ?? "") ? query.get("date")! : undefined;
  const cabinParam = query.get("cabin") ?? "economy";
  const cabin: Cabin = (CABINS as readonly string[]).includes(cabinParam) ? (cabinParam as Cabin) : "economy";
  const base = { origin, destination, cabin };
  const queryClient = getQueryClient();

  let info, grid;
  try {
    [info, grid] = await Promise.all([
      queryClient.fetchQuery(trpc.route.info.queryOptions(base)),
      queryClient.fetchQuery(trpc.route.dateGrid.queryOptions(base)),
      queryClient.fetchQuery(trpc.route.history.queryOptions({ ...base, days, departureDate: date })),
    ]);
  } catch (error) {
    if ((error as { cause?: unknown }).cause instanceof ValidationError) notFound();
    throw error;
  }

  const title = `${info.origin.city ?? info.origin.name} (${origin}) → ${info.destination.city ?? info.destination.name} (${destination})`;
  const cheapest = grid.cells.reduce<(typeof grid.cells)[number] | null>((best, c) => (!best || c.minMinor < best.minMinor ? c : best), null);
  const searchBase = new URLSearchParams({ originCode: origin, destinationCode: destination, ...(cabin !== "economy" ? { cabins: cabin } : {}) }).toString();
  const csvHref = `/routes/${origin}-${destination}/snapshots.csv?days=180&cabin=${cabin}${date ? `&departureDate=${date}` : ""}`;

  return (
    <div className="mx-auto max-w-6xl space-y-10 px-4 py-6">
      <header>
        <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{title}</h1>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
          {CABIN_LABELS[cabin]} · one way · prices per adult in {info.currency}
          {date && <> · departures on {formatDate(date, { weekday: "short", day: "numeric", month: "short", year: "numeric" })}</>}
        </p>
        <p className="mt-2 inline-block rounded bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900 dark:bg-amber-900 dark:text-amber-100">
          History built from searches, including simulated prices (the demo market), which are labelled in the export.
        </p>
      </header>

      <section aria-labelledby="history-title">
        <h2 id="history-title" className="mb-3 text-xl font-semibold">
          Price history{date ? " for this departure date" : ""}
        </h2>
        <HydrateClient>
          <RouteHistory origin={origin} destination={destination} cabin={cabin} currency={info.currency} departureDate={date} initialDays={days} title={`${title} price history`} />
        </HydrateClient>
        {date && (
          <p className="mt-2 text-sm">
            <a href={`/routes/${origin}-${destination}${cabin !== "economy" ? `?cabin=${cabin}` : ""}`} className="underline">
              All departure dates
            </a>
          </p>
        )}
      </section>

      <section aria-labelledby="grid-title">
        <h2 id="grid-title" className="text-xl font-semibold">
          Cheapest days to fly
        </h2>
        <p className="mb-4 mt-1 text-sm text-slate-700 dark:text-slate-300">
          The lowest price seen for each departure date{cheapest ? `; cheapest: ${formatDate(cheapest.departureDate)} from ${formatPrice(cheapest.minMinor, info.currency)}` : ""}. Pick a
          day to search it.
        </p>
        <DateGrid cells={grid.cells} from={grid.from} to={grid.to} currency={info.currency} searchBase={searchBase} selected={date} />
      </section>

      <section aria-labelledby="export-title">
        <h2 id="export-title" className="text-xl font-semibold">
          Export
        </h2>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
          Every price snapshot of this route over the last 180 days, one row per price with its observation time, as CSV for a spreadsheet.
        </p>
        <a href={csvHref} download className="mt-3 inline-block rounded-lg border border-slate-300 px-4 py-2 text-sm font-semibold hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-900">
          Download CSV
        </a>
      </section>
    </div>
  );
}
