import type { FieldErrors } from "@/server/core/errors";
import { routeHistoryInputSchema, type RouteHistoryInput } from "@/server/core/route-query";
import { fieldErrorsFromZod } from "@/server/core/search-query";

/** The route page's query: the route procedures' own fields and rules, under the page's names. */
const pageQuery = routeHistoryInputSchema.pick({ cabin: true, days: true, departureDate: true });

export type RoutePageQuery = Pick<RouteHistoryInput, "cabin" | "days" | "departureDate">;

/** `?date=&days=&cabin=`, each optional; what is wrong is a message per parameter. */
export function parseRoutePageQuery(params: URLSearchParams): { ok: true; query: RoutePageQuery } | { ok: false; errors: FieldErrors } {
  const value = (name: string) => params.get(name) || undefined;
  const days = value("days");
  const parsed = pageQuery.safeParse({ cabin: value("cabin"), departureDate: value("date"), days: days && /^\d{1,4}$/.test(days) ? Number(days) : days });
  return parsed.success ? { ok: true, query: parsed.data } : { ok: false, errors: fieldErrorsFromZod(parsed.error, { departureDate: "date" }) };
}
