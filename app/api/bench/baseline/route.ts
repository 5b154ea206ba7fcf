import { withRequestScope } from "@/server/http/scope";
import { otherMethods } from "@/server/http/methods";
import { env } from "@/server/env";

export const dynamic = "force-dynamic";

let body: string | undefined;

/**
 * A fixed JSON answer of a given size (?bytes=), for `npm run bench` to compare the search API
 * with: the cost of Next.js itself. Off unless BENCH_ROUTES=true.
 */
export const GET = withRequestScope((request: Request) => {
  if (!env.BENCH_ROUTES) return new Response("Not found", { status: 404 });
  const bytes = Math.min(2_000_000, Math.max(16, Number(new URL(request.url).searchParams.get("bytes")) || 20_000));
  if (!body || body.length !== bytes) body = JSON.stringify({ padding: "x".repeat(bytes - 16) });
  return new Response(body, { headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
