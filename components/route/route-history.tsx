"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import type { Cabin } from "@/server/core/offer";
import { HISTORY_RANGES, type HistoryRange } from "@/server/core/routes";
import { PriceChart, PriceTable } from "./price-chart";

interface Props {
  origin: string;
  destination: string;
  cabin: Cabin;
  currency: string;
  departureDate?: string;
  initialDays: HistoryRange;
  title: string;
}

/** The chart with its 30 / 90 / 180-day switch: links without JavaScript, instant with it. */
export function RouteHistory({ origin, destination, cabin, currency, departureDate, initialDays, title }: Props) {
  const trpc = useTRPC();
  const [days, setDays] = useState(initialDays);
  const history = useQuery({
    ...trpc.route.history.queryOptions({ origin, destination, cabin, days, departureDate }),
    placeholderData: keepPreviousData,
  });
  const points = history.data?.points ?? [];
  const shown = history.data?.currency ?? currency;
  return (
    <div>
      <nav aria-label="Period" className="mb-3 flex gap-1">
        {HISTORY_RANGES.map((range) => {
          const params = new URLSearchParams(typeof window === "undefined" ? "" : window.location.search);
          params.set("days", String(range));
          return (
            <a
              key={range}
              href={`?${params.toString()}`}
              aria-current={range === days ? "true" : undefined}
              onClick={(e) => {
                e.preventDefault();
                setDays(range);
                const next = new URLSearchParams(window.location.search);
                next.set("days", String(range));
                window.history.replaceState(null, "", `?${next.toString()}`);
              }}
              className={`rounded-md border px-3 py-1 text-sm ${range === days ? "border-brand-600 bg-brand-600 text-white" : "border-slate-300 dark:border-slate-700"}`}
            >
              {range} days
            </a>
          );
        })}
      </nav>
      <div aria-busy={history.isFetching}>
        <PriceChart points={points} currency={shown} title={`${title}, last ${days} days`} />
        <PriceTable points={points} currency={shown} />
      </div>
    </div>
  );
}
