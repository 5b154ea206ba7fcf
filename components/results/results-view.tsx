"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { formatAge } from "@/components/format";
import { useTRPC } from "@/components/trpc/client";
import { useClientValue, useNow } from "@/components/use-client-value";
import { applyFilters, mergeOffers, rankOffers, type Sort } from "@/server/core/aggregate";
import { searchHref } from "@/server/core/links";
import type { SearchFilters } from "@/server/core/search-query";
import type { ResultsInput } from "@/components/search/search-params";
import { FiltersPanel, filterParams, toOfferFilters } from "./filters";
import { PriceInsightCard } from "./insight";
import { OfferCard } from "./offer-card";
import { SearchProgress, type ChipState } from "./progress";
import { TrackButton } from "@/components/tracking/track-button";
import type { ProviderChip, ResultOffer, Results } from "./types";

const PAGE = 20;
const SORT_LABELS: Record<Sort, string> = { best: "Best", cheapest: "Cheapest", fastest: "Fastest" };

interface Props {
  input: ResultsInput;
  /** The search's own query string (without sort and filters), for links and the no-JS forms. */
  searchQuery: string;
  initialSort: Sort;
  initialFilters: SearchFilters;
  providers: { id: string; name: string }[];
  /** One per provider, settled as each answers (absent when the server waited for everything). */
  progress?: Promise<ProviderChip>[];
  serverNow: number;
  routeHref: string;
}

/**
 * The results: progress while providers answer (with their first offers), then the ranked
 * list. Sorting, filtering and "show more" happen here, on the offers already fetched; the URL
 * follows, so the view can be shared, and the same URL renders the same view on the server.
 */
export function ResultsView({ input, searchQuery, initialSort, initialFilters, providers, progress, serverNow, routeHref }: Props) {
  const trpc = useTRPC();
  const results = useQuery(trpc.flight.results.queryOptions(input));
  const [chips, setChips] = useState<(ProviderChip | null)[]>(() => providers.map(() => null));
  const [sort, setSort] = useState<Sort>(initialSort);
  const [filters, setFilters] = useState<SearchFilters>(initialFilters);
  const [shown, setShown] = useState(PAGE);
  const now = useNow(serverNow);

  useEffect(() => {
    let live = true;
    // Promises from a server component are React thenables: wrap them before chaining.
    progress?.forEach((promise, i) =>
      Promise.resolve(promise).then((chip) => live && setChips((current) => current.map((c, j) => (j === i ? chip : c)))).catch(() => undefined),
    );
    return () => {
      live = false;
    };
  }, [progress]);

  // Keep the address bar in step with the view without a navigation (and so without a search).
  useEffect(() => {
    const next = viewHref(searchQuery, sort, filters);
    if (next !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, "", next);
  }, [sort, filters, searchQuery]);

  // While streaming, the server renders the search as pending. Its answer may reach the browser's
  // cache before React hydrates this component; rendering it then would not match the server's
  // HTML (a hydration error, and in development a reload). So the first render, the hydrating
  // one, shows what the server showed, and the answer follows at once.
  const hydrated = useClientValue(hydratedMark) !== undefined;
  const settled = hydrated || progress === undefined;
  const data: Results | undefined = settled ? results.data : undefined;
  const failed = settled && results.isError;
  const providerNames = Object.fromEntries((data?.providers ?? providers.map((p) => ({ provider: p.id, name: p.name }))).map((p) => [p.provider, p.name]));
  const chipStates: ChipState[] = providers.map((p, i) => {
    const final = data?.providers.find((r) => r.provider === p.id);
    const chip: ProviderChip | null = final
      ? { ...final, error: final.error ?? null, preview: [] }
      : (chips[i] ?? null);
    return { provider: p.id, name: p.name, chip };
  });

  const preview = useMemo(() => {
    if (data) return [];
    const offers = chips.flatMap((c) => c?.preview ?? []);
    return offers.length ? rankOffers(mergeOffers(offers), "best") : [];
  }, [chips, data]);

  const view = useMemo(() => {
    if (!data) return [] as ResultOffer[];
    return rankOffers(applyFilters(data.offers, toOfferFilters(filters, data.currency)), sort);
  }, [data, filters, sort]);

  const age = data ? formatAge(data.lastUpdated, now) : "";

  return (
    <div className="space-y-4">
      <SearchProgress chips={chipStates} done={Boolean(data) || failed} />

      {failed && (
        <div role="alert" className="rounded-xl border border-red-300 bg-red-50 p-4 text-sm dark:border-red-800 dark:bg-red-950">
          <p className="font-semibold">The search did not go through.</p>
          <p className="mt-1">{errorMessage(results.error)}</p>
          <button type="button" onClick={() => results.refetch()} className="mt-2 rounded-lg border border-red-400 px-3 py-1 font-medium">
            Try again
          </button>
        </div>
      )}

      {!data && !failed && (
        <div aria-busy="true">
          <p role="status" className="text-sm text-slate-600 dark:text-slate-300">
            {preview.length ? `First results from ${chips.filter((c) => c?.status === "ok").length} provider(s); still waiting for the others…` : "Searching every provider…"}
          </p>
          <ol className="mt-3 space-y-3" aria-label="First results">
            {preview.slice(0, 5).map((offer) => (
              <li key={`${offer.itineraryKey}-${offer.cabin}`}>
                <OfferCard offer={offer} names={{ airlines: {}, airports: {} }} providerNames={providerNames} age="just now" />
              </li>
            ))}
          </ol>
        </div>
      )}

      {data && (
        <>
          <PriceInsightCard insight={data.insight} routeHref={routeHref} />
          {data.providers.every((p) => p.status !== "ok") ? (
            <div role="alert" className="rounded-xl border border-red-300 p-4 text-sm dark:border-red-800">
              <p className="font-semibold">No provider answered this time.</p>
              <p className="mt-1">This is usually brief. Try again in a minute; the chips above say what went wrong.</p>
              <button type="button" onClick={() => results.refetch()} className="mt-2 rounded-lg border px-3 py-1 font-medium">
                Search again
              </button>
            </div>
          ) : data.providers.some((p) => p.status !== "ok") ? (
            <p role="status" className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
              Some providers did not answer, so these results may be incomplete. Searching again in a minute may find more.
            </p>
          ) : null}
          <div className="grid gap-6 lg:grid-cols-[16rem_1fr]">
            <FiltersPanel offers={data.offers} currency={data.currency} names={data.names} filters={filters} onChange={(f) => (setFilters(f), setShown(PAGE))} searchQuery={searchQuery} sort={sort} />
            <div className="min-w-0 space-y-3">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <p className="text-sm text-slate-700 dark:text-slate-300" role="status">
                  {view.length} of {data.offers.length} flights{data.simulated && " · simulated prices"}
                </p>
                <TrackButton fields={trackFields(input, data.currency, filters)} />
                <nav aria-label="Sort" className="flex gap-1 rounded-lg bg-slate-100 p-1 dark:bg-slate-800">
                  {(Object.keys(SORT_LABELS) as Sort[]).map((s) => (
                      <a
                        key={s}
                        href={viewHref(searchQuery, s, filters)}
                        aria-current={sort === s ? "true" : undefined}
                        onClick={(e) => {
                          e.preventDefault();
                          setSort(s);
                          setShown(PAGE);
                        }}
                        className={`rounded-md px-3 py-1 text-sm font-medium ${sort === s ? "bg-white shadow-sm dark:bg-slate-950" : "text-slate-700 dark:text-slate-300"}`}
                      >
                        {SORT_LABELS[s]}
                      </a>
                  ))}
                </nav>
              </div>
              {data.offers.length === 0 ? (
                <div className="rounded-xl border border-slate-200 p-6 text-center dark:border-slate-800">
                  <p className="font-semibold">No flights found for this route and date.</p>
                  <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
                    Try another date (the <a className="underline" href={routeHref}>route page</a> shows the cheapest days) or a nearby airport.
                  </p>
                </div>
              ) : view.length === 0 ? (
                <div className="rounded-xl border border-slate-200 p-6 text-center dark:border-slate-800">
                  <p className="font-semibold">No flights match these filters.</p>
                  <button type="button" onClick={() => setFilters({})} className="mt-2 rounded-lg border px-3 py-1 text-sm font-medium">
                    Clear filters
                  </button>
                </div>
              ) : (
                <ol className="space-y-3" aria-label="Flights">
                  {view.slice(0, shown).map((offer) => (
                    <li key={`${offer.itineraryKey}-${offer.cabin}`}>
                      <OfferCard
                        offer={offer}
                        names={data.names}
                        providerNames={providerNames}
                        age={age}
                        track={<TrackButton compact label="Track this flight" fields={{ ...trackFields(input, data.currency, {}), kind: "itinerary", flightNumbers: offer.slices.flatMap((s) => s.segments.map((g) => g.flightNumber)).join(","), cabin: offer.cabin }} />}
                      />
                    </li>
                  ))}
                </ol>
              )}
              {view.length > shown && (
                <button
                  type="button"
                  onClick={() => setShown((n) => n + PAGE)}
                  className="w-full rounded-lg border border-slate-300 py-2 text-sm font-medium hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-900"
                >
                  Show {Math.min(PAGE, view.length - shown)} more
                </button>
              )}
            </div>
          </div>
        </>
      )}
    </div>
  );
}

/** "Track prices" for the search as it stands: its route, dates, first cabin, party, currency and the filters a tracked route keeps. */
function trackFields(input: ResultsInput, currency: string, filters: SearchFilters): Record<string, string | number | undefined> {
  return {
    kind: "exact",
    originCode: input.originCode,
    destinationCode: input.destinationCode,
    departureDate: input.departureDate,
    returnDate: input.returnDate,
    cabin: input.cabins[0],
    adults: input.adults,
    children: input.children,
    infants: input.infants,
    currency,
    maxStops: filters.maxStops,
    airlines: filters.airlines?.join(","),
  };
}

/** The results URL of a view: the search, then its sort and filters (the API's names). */
function viewHref(searchQuery: string, sort: Sort, filters: SearchFilters): string {
  const params = new URLSearchParams(searchQuery);
  if (sort !== "best") params.set("sort", sort);
  for (const [key, value] of filterParams(filters)) params.set(key, value);
  return searchHref(params);
}

function errorMessage(error: unknown): string {
  const data = (error as { data?: { fieldErrors?: Record<string, string[]> | null; retryAfterSeconds?: number | null } })?.data;
  if (data?.fieldErrors) return Object.entries(data.fieldErrors).map(([field, messages]) => `${field}: ${messages.join(", ")}`).join("; ");
  if (data?.retryAfterSeconds) return `Too many searches: try again in ${data.retryAfterSeconds} s.`;
  return "Something went wrong on our side. Try again; if it keeps failing, see the status page.";
}

/** 1 in the browser once hydrated, undefined on the server and while hydrating. */
const hydratedMark = () => 1;
