import { formatPrice } from "@/components/format";
import type { Results } from "./types";

const LEVEL_TEXT = { low: "Prices are low", typical: "Prices are typical", high: "Prices are high" } as const;
const LEVEL_CLASS = {
  low: "border-emerald-600 bg-emerald-50 dark:bg-emerald-950",
  typical: "border-sky-600 bg-sky-50 dark:bg-sky-950",
  high: "border-amber-600 bg-amber-50 dark:bg-amber-950",
} as const;

/** Low / typical / high for the cheapest price, or an honest "not enough history yet". */
export function PriceInsightCard({ insight, routeHref }: { insight: Results["insight"]; routeHref: string }) {
  if (!insight) return null;
  if (insight.status === "insufficient") {
    return (
      <section aria-label="Price insight" data-testid="insight" data-level="insufficient" className="rounded-xl border border-slate-200 p-4 text-sm dark:border-slate-800">
        <p className="font-semibold">Not enough price history to judge this price yet</p>
        <p className="mt-1 text-slate-600 dark:text-slate-400">
          {insight.samples} observations over {insight.days} day{insight.days === 1 ? "" : "s"} for nearby dates; at least {insight.minSamples} over {insight.minDays}{" "}
          days are needed. Every search adds to it. <a href={routeHref} className="underline">See the route&apos;s history</a>
        </p>
      </section>
    );
  }
  const { level, currency } = insight;
  return (
    <section aria-label="Price insight" data-testid="insight" data-level={level} className={`rounded-xl border-l-4 p-4 text-sm ${LEVEL_CLASS[level]}`}>
      <p className="text-base font-semibold">{LEVEL_TEXT[level]} for these dates</p>
      <p className="mt-1">
        The cheapest fare here, {formatPrice(insight.priceMinor, currency)} per adult, is{" "}
        {level === "typical" ? "within" : level === "low" ? "below" : "above"} the typical range of{" "}
        <strong>
          {formatPrice(insight.p25Minor, currency)}–{formatPrice(insight.p75Minor, currency)}
        </strong>{" "}
        for departures within {insight.windowDays} days of this date.
      </p>
      <p className="mt-1 text-slate-600 dark:text-slate-400">
        Based on {insight.samples.toLocaleString("en-GB")} prices observed on {insight.days} days over the last {insight.lookbackDays} days.{" "}
        <a href={routeHref} className="underline">
          Price history
        </a>
      </p>
    </section>
  );
}
