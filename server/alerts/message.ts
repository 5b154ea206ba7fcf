import type { NotificationRow } from "@/db/queries/alerts";
import type { TrackedRouteRow } from "@/db/queries/tracking";
import { alertReason } from "@/server/core/alerts";
import { routeHref, trackedSearchHref } from "@/server/core/links";
import { toMajor } from "@/server/core/money";
import { placeOf } from "@/server/core/places";
import type { Reference } from "@/server/core/reference";
import { formatDate, formatPrice } from "@/components/format";
import type { AlertEmailItem } from "./email";
import { unsubscribeToken } from "./unsubscribe";

/** The type of the webhook event an alert sends. */
export const ALERT_EVENT_TYPE = "price_alert.triggered";

/** One alert as every channel tells it: a title and a line (in-app, phone), an email item, the webhook's data. */
export interface AlertContent {
  title: string;
  body: string;
  email: AlertEmailItem;
  webhook: Record<string, unknown>;
}

function placeLabel(reference: Reference, code: string): string {
  const place = placeOf(reference, code);
  return place ? `${place.name} (${code})` : code;
}

/** The results page for the dates the alert is about, as the route is tracked (party, cabin, stops). */
export function alertSearchHref(route: TrackedRouteRow, dates: { departureDate: string | null; returnDate: string | null }): string {
  return trackedSearchHref({
    ...route,
    departureDate: dates.departureDate ?? route.departureDate ?? route.departFrom!,
    returnDate: dates.departureDate ? dates.returnDate : route.returnDate,
  });
}

/** What a notification says, on every channel, with absolute links under `baseUrl`. */
export function alertContent(n: NotificationRow, route: TrackedRouteRow, options: { reference: Reference; baseUrl: string; secret: string }): AlertContent {
  const money = (minor: number) => formatPrice(minor, n.currency);
  const base = options.baseUrl.replace(/\/$/, "");
  const pair = `${route.origin} → ${route.destination}`;
  const dates = n.departureDate ? (n.returnDate ? `${formatDate(n.departureDate)} – ${formatDate(n.returnDate)}` : formatDate(n.departureDate)) : "";
  const reason = alertReason({ kind: n.kind, referenceMinor: n.referenceMinor }, money);
  const label = n.simulated ? " (simulated price)" : "";
  const resultsUrl = base + alertSearchHref(route, n);
  const routeUrl = base + routeHref({ origin: route.origin, destination: route.destination }, { date: n.departureDate ?? undefined, cabin: route.cabin });
  const trackedUrl = `${base}/tracked#${route.id}`;
  const unsubscribeUrl = `${base}/api/alerts/unsubscribe?token=${encodeURIComponent(unsubscribeToken(options.secret, { userId: n.userId, trackedRouteId: route.id }))}`;
  const title = `${pair}${dates ? ` on ${dates}` : ""}: ${money(n.priceMinor)}${label}`;
  const body = `Now ${money(n.priceMinor)}${n.previousPriceMinor !== null ? ` (was ${money(n.previousPriceMinor)})` : ""}, ${reason}.${route.kind === "flexible" && dates ? ` Cheapest dates: ${dates}.` : ""}`;
  return {
    title,
    body,
    email: {
      routeLabel: `${placeLabel(options.reference, route.origin)} → ${placeLabel(options.reference, route.destination)}`,
      departureDate: n.departureDate ?? route.departureDate ?? route.departFrom ?? "",
      returnDate: n.returnDate,
      flexible: route.kind === "flexible",
      kind: n.kind,
      priceMinor: n.priceMinor,
      previousPriceMinor: n.previousPriceMinor,
      referenceMinor: n.referenceMinor,
      currency: n.currency,
      level: (n.level as AlertEmailItem["level"]) ?? null,
      simulated: n.simulated,
      resultsUrl,
      routeUrl,
      trackedUrl,
      unsubscribeUrl,
    },
    webhook: {
      notificationId: n.id,
      trackedRouteId: route.id,
      kind: n.kind,
      reasons: n.reasons,
      route: { originCode: route.origin, destinationCode: route.destination, cabin: route.cabin, kind: route.kind },
      departureDate: n.departureDate,
      returnDate: n.returnDate,
      price: { amount: toMajor({ amountMinor: n.priceMinor, currency: n.currency }), currency: n.currency, simulated: n.simulated },
      previousPrice: n.previousPriceMinor === null ? null : { amount: toMajor({ amountMinor: n.previousPriceMinor, currency: n.currency }), currency: n.currency },
      reference: n.referenceMinor === null ? null : { amount: toMajor({ amountMinor: n.referenceMinor, currency: n.currency }), currency: n.currency },
      level: n.level,
      observedAt: n.observedAt.toISOString(),
      links: { results: resultsUrl, route: routeUrl, tracked: trackedUrl },
    },
  };
}
