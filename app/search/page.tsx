import type { Metadata } from "next";
import { formatDate, CABIN_LABELS } from "@/components/format";
import { ResultsView } from "@/components/results/results-view";
import { SearchForm } from "@/components/search/search-form";
import { parseWebSearch } from "@/components/search/search-params";
import type { FieldErrors } from "@/server/core/errors";
import { routeHref as routePage, searchHref } from "@/server/core/links";
import { getAppContext, type AppContext } from "@/server/context";
import { log } from "@/server/log";
import { pageProblem } from "@/server/page-data";
import { getProgressSink, getQueryClient, HydrateClient, trpc } from "@/server/trpc/rsc";
import { toSearchParams } from "../search-params";
import { formValuesFrom, placeHeading } from "./form-values";
import { progressChannel } from "./progress-channel";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The app context, or null when it cannot be built: the page still renders the form and says what failed. */
async function appContext(): Promise<AppContext | null> {
  try {
    return await getAppContext();
  } catch (error) {
    log.warn("app context unavailable for the search page", { err: error });
    return null;
  }
}

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const params = toSearchParams(await searchParams);
  const from = params.get("originCode")?.toUpperCase();
  const to = params.get("destinationCode")?.toUpperCase();
  return { title: from && to ? `${from} → ${to} flights` : "Search flights" };
}

/**
 * Results. The search starts here, in process, and the page goes out at once: a progress bar,
 * one chip per provider (each a promise streamed as that provider answers, with its first
 * offers), then the whole answer, hydrated into the browser's query cache. Without JavaScript
 * the page reloads itself with nojs=1, where the server waits for the answer and renders it.
 */
export default async function SearchPage({ searchParams }: Props) {
  const raw = toSearchParams(await searchParams);
  const waitForAll = raw.get("nojs") === "1";
  const parsed = parseWebSearch(raw);
  const ctx = await appContext();
  const reference = ctx?.reference ?? null;
  const initial = formValuesFrom(raw, reference);

  if (!parsed.ok) return <InvalidSearch initial={initial} errors={parsed.errors} />;

  const { input, results } = parsed;
  const providers = (ctx?.providers ?? []).map((p) => ({ id: p.id, name: p.provider.name, simulated: p.provider.simulated }));
  const channel = progressChannel(providers, results.cabins.length);
  getProgressSink().listener = channel.listener;
  const queryClient = getQueryClient();
  const options = trpc.flight.results.queryOptions(results);
  const done = queryClient.prefetchQuery(options).finally(channel.settle);
  if (waitForAll) {
    await done;
    const error = queryClient.getQueryState(options.queryKey)?.error;
    // Bad input the reference data rules out (an unknown code): the form with its messages.
    const problem = error ? pageProblem(error) : null;
    if (problem?.errors) return <InvalidSearch initial={initial} errors={problem.errors} />;
  }

  const searchQuery = new URLSearchParams(
    [...raw].filter(([key]) => ["originCode", "destinationCode", "departureDate", "returnDate", "cabins", "adults", "children", "infants", "currency"].includes(key)),
  ).toString();
  const travellers = input.adults + input.children + input.infants;
  const routeHref = routePage({ origin: input.originCode, destination: input.destinationCode }, { date: input.departureDate, cabin: input.cabins[0] });

  return (
    <div className="mx-auto max-w-6xl px-4 py-6">
      {!waitForAll && (
        <noscript>
          <meta httpEquiv="refresh" content={`0; url=${searchHref([...raw, ["nojs", "1"]])}`} />
        </noscript>
      )}
      <header className="mb-4">
        <h1 className="text-2xl font-bold tracking-tight">
          {placeHeading(reference, input.originCode)} → {placeHeading(reference, input.destinationCode)}
        </h1>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
          {formatDate(input.departureDate)}
          {input.returnDate ? ` – ${formatDate(input.returnDate)}, round trip` : ", one way"} · {travellers} traveller{travellers > 1 ? "s" : ""} ·{" "}
          {input.cabins.map((c) => CABIN_LABELS[c]).join(", ")} ·{" "}
          <a href={routeHref} className="underline">
            Price history for this route
          </a>
        </p>
      </header>
      <details className="mb-6">
        <summary className="cursor-pointer text-sm font-medium text-brand-700 dark:text-brand-100">Change search</summary>
        <div className="mt-3">
          <SearchForm initial={initial} compact />
        </div>
      </details>
      <HydrateClient>
        <ResultsView
          input={results}
          searchQuery={searchQuery}
          initialSort={input.sort}
          initialFilters={input.filters}
          providers={providers.map(({ id, name }) => ({ id, name }))}
          progress={waitForAll ? undefined : channel.promises}
          // eslint-disable-next-line react-hooks/purity -- a server component renders once per request: this is the request's time
          serverNow={Date.now()}
          routeHref={routeHref}
        />
      </HydrateClient>
    </div>
  );
}

function InvalidSearch({ initial, errors }: { initial: ReturnType<typeof formValuesFrom>; errors: FieldErrors }) {
  return (
    <div className="mx-auto max-w-5xl px-4 py-8">
      <h1 className="mb-4 text-2xl font-bold">Check your search</h1>
      <SearchForm initial={initial} initialErrors={errors} />
    </div>
  );
}
