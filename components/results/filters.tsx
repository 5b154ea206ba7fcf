"use client";

import { useId, useState } from "react";
import { formatDuration, formatPrice, minorToMajor } from "@/components/format";
import type { OfferFilters, Sort } from "@/server/core/aggregate";
import { carriersOf } from "@/server/core/offer";
import type { SearchFilters } from "@/server/core/search-query";
import type { Names, ResultOffer } from "./types";

/** Filters as the URL (the API's parameter names) holds them. */
export function filterParams(filters: SearchFilters): [string, string][] {
  const out: [string, string][] = [];
  if (filters.maxStops !== undefined) out.push(["maxStops", String(filters.maxStops)]);
  if (filters.airlines?.length) out.push(["airlines", filters.airlines.join(",")]);
  for (const key of ["departAfter", "departBefore", "arriveAfter", "arriveBefore"] as const) if (filters[key]) out.push([key, filters[key]]);
  if (filters.maxDurationMinutes !== undefined) out.push(["maxDuration", String(filters.maxDurationMinutes)]);
  if (filters.maxPrice !== undefined) out.push(["maxPrice", String(filters.maxPrice)]);
  return out;
}

export function toOfferFilters(filters: SearchFilters, currency: string): OfferFilters {
  const { maxPrice, ...rest } = filters;
  return { ...rest, maxPriceMinor: maxPrice === undefined ? undefined : Math.round(maxPrice / minorToMajor(1, currency)) };
}

const TIMES = ["", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00"];

interface Props {
  offers: ResultOffer[];
  currency: string;
  names: Names;
  filters: SearchFilters;
  onChange: (filters: SearchFilters) => void;
  searchQuery: string;
  sort: Sort;
}

/**
 * Filters over the offers already here. It is also a GET form carrying the search, so that
 * without JavaScript "Apply" reloads the page with the filters in the URL.
 */
export function FiltersPanel({ offers, currency, names, filters, onChange, searchQuery, sort }: Props) {
  const id = useId();
  const [expanded, setExpanded] = useState(false);
  const set = (patch: Partial<SearchFilters>) => {
    const next = { ...filters, ...patch };
    for (const key of Object.keys(next) as (keyof SearchFilters)[]) if (next[key] === undefined || (Array.isArray(next[key]) && !next[key].length)) delete next[key];
    onChange(next);
  };
  const airlines = [...new Set(offers.flatMap((o) => carriersOf(o)))].sort((a, b) => (names.airlines[a] ?? a).localeCompare(names.airlines[b] ?? b));
  const prices = offers.map((o) => o.price.amountMinor);
  const minPrice = prices.length ? Math.floor(minorToMajor(Math.min(...prices), currency)) : 0;
  const maxPrice = prices.length ? Math.ceil(minorToMajor(Math.max(...prices), currency)) : 0;
  const durations = offers.flatMap((o) => o.slices.map((s) => s.durationMinutes));
  const longest = durations.length ? Math.ceil(Math.max(...durations) / 30) * 30 : 0;
  const shortest = durations.length ? Math.floor(Math.min(...durations) / 30) * 30 : 0;
  const stopsAvailable = Math.max(0, ...offers.flatMap((o) => o.slices.map((s) => s.stops)));
  const hidden = [...new URLSearchParams(searchQuery)];

  const select = (key: "departAfter" | "departBefore" | "arriveAfter" | "arriveBefore", label: string) => (
    <label className="block text-sm">
      <span className="text-slate-700 dark:text-slate-300">{label}</span>
      <select
        name={key}
        value={filters[key] ?? ""}
        onChange={(e) => set({ [key]: e.target.value || undefined })}
        className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-900"
      >
        {TIMES.map((t) => (
          <option key={t} value={t}>
            {t || "Any time"}
          </option>
        ))}
        {key.endsWith("Before") && <option value="23:59">23:59</option>}
      </select>
    </label>
  );

  const active = filterParams(filters).length;
  return (
    <div>
      {/* On a phone the filters fold away behind a button; without JavaScript they stay open. */}
      <button
        type="button"
        aria-expanded={expanded}
        aria-controls={`${id}-filters`}
        onClick={() => setExpanded((e) => !e)}
        className="w-full rounded-lg border border-slate-300 px-3 py-2 text-left text-sm font-medium lg:hidden dark:border-slate-700"
      >
        Filters{active ? ` (${active} on)` : ""} <span aria-hidden="true">{expanded ? "▴" : "▾"}</span>
      </button>
    <form
      id={`${id}-filters`}
      data-open-without-js
      method="get"
      action="/search"
      aria-label="Filters"
      onSubmit={(e) => e.preventDefault()}
      className={`mt-2 h-fit space-y-5 rounded-xl border border-slate-200 p-4 lg:mt-0 lg:block dark:border-slate-800 ${expanded ? "block" : "hidden"}`}
    >
      {hidden.map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      {sort !== "best" && <input type="hidden" name="sort" value={sort} />}
      <div className="flex items-center justify-between">
        <h2 className="font-semibold">Filters</h2>
        <button type="button" onClick={() => onChange({})} className="text-sm underline">
          Reset
        </button>
      </div>
      <fieldset>
        <legend className="text-sm font-medium">Stops</legend>
        {[
          [undefined, "Any number"],
          [0, "Nonstop only"],
          [1, "1 stop or fewer"],
        ]
          .filter(([n]) => n === undefined || (n as number) < Math.max(1, stopsAvailable))
          .map(([n, label]) => (
            <label key={String(n)} className="mt-1 flex items-center gap-2 text-sm">
              <input type="radio" name="maxStops" value={n === undefined ? "" : String(n)} checked={filters.maxStops === n} onChange={() => set({ maxStops: n as number | undefined })} />
              {label}
            </label>
          ))}
      </fieldset>
      <fieldset>
        <legend className="text-sm font-medium">Airlines</legend>
        <div className="mt-1 max-h-48 space-y-1 overflow-auto">
          {airlines.map((code) => (
            <label key={code} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                name="airlines"
                value={code}
                checked={filters.airlines?.includes(code) ?? false}
                onChange={(e) => set({ airlines: e.target.checked ? [...(filters.airlines ?? []), code] : (filters.airlines ?? []).filter((a) => a !== code) })}
              />
              {names.airlines[code] ?? code}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="grid grid-cols-2 gap-2">
        <legend className="col-span-2 text-sm font-medium">Departure (local time)</legend>
        {select("departAfter", "After")}
        {select("departBefore", "Before")}
      </fieldset>
      <fieldset className="grid grid-cols-2 gap-2">
        <legend className="col-span-2 text-sm font-medium">Arrival (local time)</legend>
        {select("arriveAfter", "After")}
        {select("arriveBefore", "Before")}
      </fieldset>
      {maxPrice > minPrice && (
        <div>
          <label htmlFor={`${id}-price`} className="text-sm font-medium">
            Max price: {formatPrice(Math.round((filters.maxPrice ?? maxPrice) / minorToMajor(1, currency)), currency)}
          </label>
          <input
            id={`${id}-price`}
            type="range"
            name="maxPrice"
            min={minPrice}
            max={maxPrice}
            step={1}
            value={filters.maxPrice ?? maxPrice}
            onChange={(e) => set({ maxPrice: Number(e.target.value) >= maxPrice ? undefined : Number(e.target.value) })}
            className="mt-1 w-full accent-brand-600"
          />
        </div>
      )}
      {longest > shortest && (
        <div>
          <label htmlFor={`${id}-duration`} className="text-sm font-medium">
            Max duration: {formatDuration(filters.maxDurationMinutes ?? longest)}
          </label>
          <input
            id={`${id}-duration`}
            type="range"
            name="maxDuration"
            min={Math.max(30, shortest)}
            max={longest}
            step={30}
            value={filters.maxDurationMinutes ?? longest}
            onChange={(e) => set({ maxDurationMinutes: Number(e.target.value) >= longest ? undefined : Number(e.target.value) })}
            className="mt-1 w-full accent-brand-600"
          />
        </div>
      )}
      <noscript>
        {/* Straight to the page that waits for every provider, without the refresh in between. */}
        <input type="hidden" name="nojs" value="1" />
        <button type="submit" className="rounded-lg border px-3 py-1 text-sm font-medium">
          Apply filters
        </button>
      </noscript>
    </form>
    </div>
  );
}
