import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CABIN_LABELS, formatDate, formatPrice } from "@/components/format";
import { DateGrid } from "@/components/route/date-grid";
import { RouteHistory } from "@/components/route/route-history";
import { TrackButton } from "@/components/tracking/track-button";
import type { FieldErrors } from "@/server/core/errors";
import { routeCsvHref, routeHref } from "@/server/core/links";
import { parseRouteSlug } from "@/server/core/routes";
import { addDays } from "@/server/core/time";
import { pageData } from "@/server/page-data";
import { getQueryClient, HydrateClient, trpc } from "@/server/trpc/rsc";
import { toSearchParams } from "../../search-params";
import { parseRoutePageQuery } from "./params";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ route: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { route } = await params;
  return { title: `${route.toUpperCase().replace("-", " → ")} price history` };
}

/**
 * A route's price history: chart, date grid and CSV export. Everything is read in process
 * through tRPC, in parallel, and hydrated into the browser's cache. The path names the route
 * (an unknown one is a 404 page); the query (`date`, `days`, `cabin`) is checked by the
 * procedures' own rules, and what is wrong in it is shown per parameter.
 */
/** The months the grid spans, each from its first day still in the grid to its last. */
function monthsOf(from: string, to: string): { from: string; to: string; label: string }[] {
  const months: { from: string; to: string; label: string }[] = [];
  for (let start = from; start <= to; ) {
    const next = addDays(`${start.slice(0, 7)}-01`, 32).slice(0, 7) + "-01";
    const end = addDays(next, -1) < to ? addDays(next, -1) : to;
    months.push({ from: start, to: end, label: formatDate(start, { month: "short", year: "numeric" }) });
    start = next;
  }
  return months;
}

export default async function RoutePage({ params, searchParams }: Props) {
  const { route: slug } = await params;
  const codes = await pageData(async () => parseRouteSlug(slug));
  if (!codes.ok) notFound();
  const [origin, destination] = codes.data;
  const parsed = parseRoutePageQuery(toSearchParams(await searchParams));
  if (!parsed.ok) return <InvalidRouteQuery route={{ origin, destination }} errors={parsed.errors} />;
  const { cabin, days, departureDate: date } = parsed.query;
  const base = { origin, destination, cabin };
  const queryClient = getQueryClient();

  const read = await pageData(() =>
    Promise.all([
      queryClient.fetchQuery(trpc.route.info.queryOptions(base)),
      queryClient.fetchQuery(trpc.route.dateGrid.queryOptions(base)),
      queryClient.fetchQuery(trpc.route.history.queryOptions({ ...base, days, departureDate: date })),
    ]),
  );
  if (!read.ok) {
    // The path's codes are the resource: an unknown one is not found, not bad input.
    if (read.errors.origin || read.errors.destination) notFound();
    return <InvalidRouteQuery route={{ origin, destination }} errors={read.errors} />;
  }
  const [info, grid] = read.data;

  const title = `${info.origin.city ?? info.origin.name} (${origin}) → ${info.destination.city ?? info.destination.name} (${destination})`;
  const cheapest = grid.cells.reduce<(typeof grid.cells)[number] | null>((best, c) => (!best || c.minMinor < best.minMinor ? c : best), null);
  const search = { originCode: origin, destinationCode: destination, ...(cabin !== "economy" ? { cabins: cabin } : {}) };
  const csvHref = routeCsvHref({ origin, destination }, { days: 180, cabin, departureDate: date });

  return (
    <div className="mx-auto max-w-6xl space-y-10 px-4 py-6">
      <header>
        <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{title}</h1>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
          {CABIN_LABELS[cabin]} · one way · prices per adult in {info.currency}
          {date && <> · departures on {formatDate(date, { weekday: "short", day: "numeric", month: "short", year: "numeric" })}</>}
        </p>
        {date && (
          <div className="mt-3">
            <TrackButton label="Track this date" fields={{ kind: "exact", originCode: origin, destinationCode: destination, departureDate: date, cabin, currency: info.currency }} />
          </div>
        )}
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
            <a href={routeHref({ origin, destination }, { cabin })} className="underline">
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
        <DateGrid cells={grid.cells} from={grid.from} to={grid.to} currency={info.currency} search={search} selected={date} />
        <div className="mt-4 flex flex-wrap items-center gap-2 text-sm">
          <span className="font-medium">Track the lowest price of a whole month:</span>
          {monthsOf(grid.from, grid.to).map(({ from, to, label }) => (
            <TrackButton key={from} compact label={label} fields={{ kind: "flexible", originCode: origin, destinationCode: destination, departFrom: from, departTo: to, cabin, currency: info.currency }} />
          ))}
        </div>
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

function InvalidRouteQuery({ route, errors }: { route: { origin: string; destination: string }; errors: FieldErrors }) {
  return (
    <div className="mx-auto max-w-3xl px-4 py-8">
      <h1 className="mb-4 text-2xl font-bold">Check the address</h1>
      <p className="mb-3">This page&apos;s address has parameters it cannot use:</p>
      <ul className="mb-4 list-disc space-y-1 pl-6" role="alert">
        {Object.entries(errors).map(([field, messages]) => (
          <li key={field}>
            <code className="font-mono">{field}</code>: {messages.join("; ")}
          </li>
        ))}
      </ul>
      <a href={routeHref(route)} className="underline">
        Price history for {route.origin} → {route.destination}
      </a>
    </div>
  );
}
