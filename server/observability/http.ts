import { routeOf } from "./api-routes";
import { prom, secondsSince } from "./metrics";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** Counts one answered API request under its route's pattern (never its raw path). */
export function observeApiRequest(request: Request, status: number, started: number): void {
  const method = METHODS.has(request.method) ? request.method : "OTHER";
  const route = routeOf(new URL(request.url).pathname);
  prom.httpRequests.inc({ method, route, status: String(status) });
  prom.httpDuration.observe({ method, route, status_class: `${Math.floor(status / 100)}xx` }, secondsSince(started));
}

