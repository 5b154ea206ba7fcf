/**
 * Every route under app/api, as its folder names it: the `route` label of the HTTP metrics. A
 * raw path would make a time series per id and per scanner's guess; a pattern keeps them to
 * this list. api-routes.test.ts fails when a route file is missing here.
 */
export const API_ROUTES = [
  "/api/[...path]",
  "/api/alerts/unsubscribe",
  "/api/auth/[...nextauth]",
  "/api/bench/baseline",
  "/api/graphql",
  "/api/health",
  "/api/health/live",
  "/api/health/ready",
  "/api/metrics",
  "/api/test/market",
  "/api/trpc/[trpc]",
  "/api/v1/admin/ingestions",
  "/api/v1/admin/ingestions/[id]",
  "/api/v1/admin/ingestions/[id]/discard",
  "/api/v1/admin/ingestions/[id]/retry",
  "/api/v1/admin/overview",
  "/api/v1/admin/providers",
  "/api/v1/admin/providers/[id]/pause",
  "/api/v1/admin/providers/[id]/resume",
  "/api/v1/airports",
  "/api/v1/alert-rules/[id]",
  "/api/v1/api-keys",
  "/api/v1/api-keys/[id]",
  "/api/v1/flights/search",
  "/api/v1/notification-channels",
  "/api/v1/notification-channels/[id]",
  "/api/v1/notification-channels/[id]/attempts",
  "/api/v1/notification-channels/[id]/test",
  "/api/v1/notification-preferences",
  "/api/v1/notifications",
  "/api/v1/notifications/[id]",
  "/api/v1/notifications/read",
  "/api/v1/openapi.json",
  "/api/v1/tracked-routes",
  "/api/v1/tracked-routes/[id]",
  "/api/v1/tracked-routes/[id]/alert-rules",
  "/api/v1/tracked-routes/[id]/channels",
] as const;

/** What a path outside every pattern is counted as (no route of ours would have served it). */
export const OTHER_ROUTE = "other";

type Segment = { kind: 0; text: string } | { kind: 1 } | { kind: 2 };

const parse = (pattern: string): Segment[] =>
  pattern
    .split("/")
    .slice(1)
    .map((s): Segment => (s.startsWith("[...") ? { kind: 2 } : s.startsWith("[") ? { kind: 1 } : { kind: 0, text: s }));

// As Next.js picks: at the first segment where two patterns differ, a fixed name wins over a
// [param], which wins over a [...catch-all].
const compiled = API_ROUTES.map((pattern) => ({ pattern, segments: parse(pattern) })).sort((a, b) => {
  for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i++) {
    const x = a.segments[i]?.kind ?? -1;
    const y = b.segments[i]?.kind ?? -1;
    if (x !== y) return x - y;
  }
  return 0;
});

function matches(segments: Segment[], parts: string[]): boolean {
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.kind === 2) return parts.length > i;
    if (i >= parts.length) return false;
    if (segment.kind === 0 && segment.text !== parts[i]) return false;
  }
  return parts.length === segments.length;
}

/** The route pattern that serves a path (`/api/v1/tracked-routes/[id]` for `/api/v1/tracked-routes/42`). */
export function routeOf(pathname: string): string {
  const parts = pathname.split("/").slice(1);
  if (parts.at(-1) === "") parts.pop();
  for (const { pattern, segments } of compiled) if (matches(segments, parts)) return pattern;
  return OTHER_ROUTE;
}
