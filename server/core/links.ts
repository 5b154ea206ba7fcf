import type { Cabin } from "@/server/core/offer";
import { DEFAULT_HISTORY_DAYS } from "@/server/core/routes";

/**
 * The app's own URLs, built in one place (pages, components and, later, alert emails): a
 * results URL is the whole search in the REST API's parameter names; a route page's options
 * are left out when they are the defaults.
 */

/** The results page of a search. */
export function searchHref(params: URLSearchParams | Record<string, string> | [string, string][]): `/search?${string}` {
  return `/search?${new URLSearchParams(params).toString()}`;
}

/** What a tracked route's results link needs: its search as tracked (party, cabin, currency, stops). */
export interface TrackedSearch {
  origin: string;
  destination: string;
  departureDate: string;
  returnDate: string | null;
  cabin: Cabin;
  adults: number;
  children: number;
  infants: number;
  currency: string;
  maxStops: number | null;
}

/** The results page of a tracked route's search (for the dates of its price, or its own). */
export function trackedSearchHref(search: TrackedSearch): `/search?${string}` {
  const params: Record<string, string> = {
    originCode: search.origin,
    destinationCode: search.destination,
    departureDate: search.departureDate,
    cabins: search.cabin,
    adults: String(search.adults),
    currency: search.currency,
  };
  if (search.returnDate) params.returnDate = search.returnDate;
  if (search.children) params.children = String(search.children);
  if (search.infants) params.infants = String(search.infants);
  if (search.maxStops !== null) params.maxStops = String(search.maxStops);
  return searchHref(params);
}

export interface RouteLink {
  origin: string;
  destination: string;
}

/** A route's page: its history for one departure date, in a cabin, over a period. */
export function routeHref(route: RouteLink, options: { date?: string; cabin?: Cabin; days?: number } = {}): `/routes/${string}` {
  const params = new URLSearchParams();
  if (options.date) params.set("date", options.date);
  if (options.days && options.days !== DEFAULT_HISTORY_DAYS) params.set("days", String(options.days));
  if (options.cabin && options.cabin !== "economy") params.set("cabin", options.cabin);
  const query = params.toString();
  return `/routes/${route.origin}-${route.destination}${query ? `?${query}` : ""}`;
}

/** A route's snapshots as CSV. */
export function routeCsvHref(route: RouteLink, options: { days: number; cabin: Cabin; departureDate?: string }): `/routes/${string}` {
  const params = new URLSearchParams({ days: String(options.days), cabin: options.cabin });
  if (options.departureDate) params.set("departureDate", options.departureDate);
  return `/routes/${route.origin}-${route.destination}/snapshots.csv?${params.toString()}`;
}

/**
 * Where to go back to after signing in: a path on this site, never another site. Anything that
 * could leave it ("//evil.example", "/\\evil.example", "https://…", control characters) is "/".
 */
export function safeReturnPath(value: string | null | undefined): string {
  if (!value || value.length > 2000 || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return "/";
  return value;
}

/** The sign-in page, coming back to `returnTo` afterwards. */
export function signInHref(returnTo?: string): `/sign-in${string}` {
  const path = safeReturnPath(returnTo);
  return path === "/" ? "/sign-in" : `/sign-in?${new URLSearchParams({ callbackUrl: path }).toString()}`;
}
