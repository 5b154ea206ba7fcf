import type { Route } from "next";
import Link from "next/link";
import { RecentSearches, SearchForm } from "@/components/search/search-form";
import { routeHref } from "@/server/core/links";
import { DEMO_ROUTES } from "@/server/services/demo/demo-history";
import { formValuesFrom } from "./search/form-values";

const features = [
  {
    title: "Live prices from several providers",
    body: "One search asks every enabled provider at once. Results are merged, duplicates removed and ranked by what matters: price, duration and stops.",
  },
  {
    title: "Price history for every route",
    body: "Every live search is kept as price snapshots, so each route and date builds a history: charts, a low / typical / high verdict and the cheapest days.",
  },
  {
    title: "Alerts when prices drop",
    body: "Track a route and get an email, a webhook or an in-app notice when its price falls below what you want to pay.",
  },
  {
    title: "Yours to run",
    body: "Self-hostable with no setup: an embedded time-series database and simulated prices out of the box; PostgreSQL/TimescaleDB, Redis and real providers when you configure them.",
  },
];

/** Default form values: a search three weeks out, which the demo history covers. */
export default async function HomePage() {
  const initial = formValuesFrom(new URLSearchParams(), null);
  return (
    <div className="mx-auto max-w-5xl px-4 py-8 sm:py-12">
      <section aria-labelledby="hero-title" className="max-w-3xl">
        <h1 id="hero-title" className="text-3xl font-bold tracking-tight sm:text-5xl">
          Find the flight. Know the price is right.
        </h1>
        <p className="mt-4 text-lg text-slate-700 dark:text-slate-300">
          Flight Tracker searches flights across several providers, shows how each route&apos;s prices have moved, and tells
          you when they drop.
        </p>
      </section>
      <div className="mt-8">
        <SearchForm initial={initial} />
        <RecentSearches />
      </div>
      <section aria-labelledby="routes-title" className="mt-10">
        <h2 id="routes-title" className="text-lg font-semibold">
          Price history for popular routes
        </h2>
        <ul className="mt-3 flex flex-wrap gap-2">
          {DEMO_ROUTES.slice(0, 12).map(([from, to]) => (
            <li key={`${from}-${to}`}>
              <Link
                href={routeHref({ origin: from, destination: to }) as Route}
                className="inline-block rounded-full border border-slate-300 px-3 py-1 font-mono text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
              >
                {from} → {to}
              </Link>
            </li>
          ))}
        </ul>
      </section>
      <section aria-label="What Flight Tracker does" className="mt-12 grid gap-6 sm:grid-cols-2">
        {features.map((feature) => (
          <article
            key={feature.title}
            className="rounded-xl border border-slate-200 p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900"
          >
            <h2 className="text-lg font-semibold">{feature.title}</h2>
            <p className="mt-2 text-slate-700 dark:text-slate-300">{feature.body}</p>
          </article>
        ))}
      </section>
      <p className="mt-12 text-sm text-slate-600 dark:text-slate-400">
        Prices from the built-in simulated market are always labelled as simulated.
      </p>
    </div>
  );
}
