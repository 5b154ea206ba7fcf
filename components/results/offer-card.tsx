import type { ReactNode } from "react";
import { CABIN_LABELS, dayOffset, formatDuration, formatPrice, localClock } from "@/components/format";
import type { Names, ResultOffer } from "./types";

function SliceRow({ slice, names, label }: { slice: ResultOffer["slices"][number]; names: Names; label: string }) {
  const carriers = [...new Set(slice.segments.map((s) => s.carrier))];
  const layovers = slice.segments.slice(0, -1).map((s) => s.destination);
  const plusDays = dayOffset(slice.departureLocal, slice.arrivalLocal);
  return (
    <div className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 sm:grid-cols-[12rem_1fr_auto]">
      <div>
        <p className="sr-only">{label}</p>
        <p className="text-lg font-semibold tabular-nums">
          <time dateTime={slice.departureLocal}>{localClock(slice.departureLocal)}</time>
          <span aria-hidden="true"> – </span>
          <span className="sr-only"> to </span>
          <time dateTime={slice.arrivalLocal}>{localClock(slice.arrivalLocal)}</time>
          {plusDays !== 0 && (
            <sup className="ml-0.5 text-xs font-semibold text-amber-700 dark:text-amber-400" title={`Arrives ${plusDays > 0 ? `${plusDays} day${plusDays > 1 ? "s" : ""} later` : "the day before"}`}>
              {plusDays > 0 ? `+${plusDays}` : plusDays}
              <span className="sr-only"> day{Math.abs(plusDays) > 1 ? "s" : ""}</span>
            </sup>
          )}
        </p>
        <p className="text-sm text-slate-600 dark:text-slate-400">{carriers.map((c) => names.airlines[c] ?? c).join(", ")}</p>
      </div>
      <div className="text-sm">
        <p>
          {formatDuration(slice.durationMinutes)} · {slice.origin}–{slice.destination}
        </p>
        <p className="text-slate-600 dark:text-slate-400">
          {slice.stops === 0 ? "Nonstop" : `${slice.stops} stop${slice.stops > 1 ? "s" : ""}${layovers.length ? ` via ${layovers.join(", ")}` : ""}`}
        </p>
      </div>
      <p className="col-span-2 font-mono text-xs text-slate-600 sm:col-span-1 sm:text-right dark:text-slate-400">{slice.segments.map((s) => s.flightNumber).join(" · ")}</p>
    </div>
  );
}

export function OfferCard({ offer, names, providerNames, age, track }: { offer: ResultOffer; names: Names; providerNames: Record<string, string>; age: string; track?: ReactNode }) {
  const [outbound, inbound] = offer.slices;
  return (
    <article
      aria-label={`${formatPrice(offer.price.amountMinor, offer.price.currency)}, ${outbound!.origin} to ${outbound!.destination}`}
      data-testid="offer"
      className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="flex-1 space-y-3">
          <SliceRow slice={outbound!} names={names} label="Outbound" />
          {inbound && <SliceRow slice={inbound} names={names} label="Return" />}
        </div>
        <div className="flex flex-row items-end justify-between gap-2 border-t border-slate-100 pt-3 sm:flex-col sm:border-0 sm:pt-0 sm:text-right dark:border-slate-800">
          <div>
            <p className="text-2xl font-bold tabular-nums" data-testid="price">
              {formatPrice(offer.price.amountMinor, offer.price.currency)}
            </p>
            <p className="text-xs text-slate-600 dark:text-slate-400">
              {CABIN_LABELS[offer.cabin]} · total for all travellers
            </p>
          </div>
          {offer.deepLink ? (
            <a
              href={offer.deepLink}
              target="_blank"
              rel="noopener noreferrer nofollow"
              className="rounded-lg bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700"
            >
              View deal<span className="sr-only"> on {providerNames[offer.provider] ?? offer.provider} (opens a new tab)</span>
            </a>
          ) : offer.offerRef ? (
            <p className="text-xs">
              Booking reference <span className="font-mono">{offer.offerRef}</span>
            </p>
          ) : null}
        </div>
      </div>
      <div className="mt-3 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
        {offer.simulated && (
          <span className="rounded bg-amber-100 px-1.5 py-0.5 font-semibold text-amber-900 dark:bg-amber-900 dark:text-amber-100" data-testid="simulated-label">
            Simulated price
          </span>
        )}
        <span>
          Offered by{" "}
          {offer.sources
            .map((s) => `${providerNames[s.provider] ?? s.provider} ${formatPrice(s.price.amountMinor, s.price.currency)}`)
            .join(" · ")}
        </span>
        <span>Seen {age}</span>
        {track && <span className="ml-auto">{track}</span>}
      </div>
    </article>
  );
}
