import { NextResponse, type NextRequest } from "next/server";
import { parseRoutePageQuery } from "@/app/routes/[route]/params";
import { parseWebSearch } from "@/components/search/search-params";
import { env, isDevelopment } from "@/server/env";
import { overHttps, pagePolicy, REQUEST_ID_HEADER, requestIdFrom, signInFormTargets, STRICT_TRANSPORT_SECURITY } from "@/server/http/security";

/**
 * Runs before every page (not API routes, which withRequestScope serves, nor static files):
 * - gives the request an id (a caller's valid X-Request-Id is kept), passed on to the page and
 *   returned, so every log line of the request and the answer can be matched;
 * - a Content-Security-Policy with a fresh nonce, which Next puts on its own scripts (so every
 *   page renders per request);
 * - HSTS when the request came over HTTPS, as a trusted reverse proxy says;
 * - a page whose query does not hold up answers 400 (below).
 */

/**
 * Pages whose query can be wrong, and the parser each page itself uses. A page cannot set its
 * own status, so the proxy parses the query the same way first: when it does not hold up, the
 * page answers 400 and renders its own view of what is wrong (a message per parameter).
 */
const PAGE_QUERIES: [RegExp, (params: URLSearchParams) => boolean][] = [
  [/^\/search$/, (params) => parseWebSearch(params).ok],
  [/^\/routes\/[^/]+$/, (params) => parseRoutePageQuery(params).ok],
];


const FORM_TARGETS = signInFormTargets({ github: Boolean(env.AUTH_GITHUB_ID), google: Boolean(env.AUTH_GOOGLE_ID) });

export function proxy(request: NextRequest) {
  const { pathname, searchParams } = request.nextUrl;
  const requestId = requestIdFrom(request.headers);
  const headers = new Headers(request.headers);
  headers.set(REQUEST_ID_HEADER, requestId);
  const policy = pagePolicy(Buffer.from(crypto.randomUUID()).toString("base64"), { development: isDevelopment, formTargets: FORM_TARGETS });
  // Next reads the nonce from the request's policy.
  headers.set("content-security-policy", policy);
  // Only for documents: a client-side navigation's RSC fetch keeps a 200 its router understands.
  const document = !request.headers.has("rsc") && !request.headers.has("next-router-prefetch");
  const check = PAGE_QUERIES.find(([path]) => path.test(pathname))?.[1];
  const status = document && check && !check(searchParams) ? 400 : undefined;
  const response = NextResponse.next({ request: { headers }, ...(status ? { status } : {}) });
  response.headers.set(REQUEST_ID_HEADER, requestId);
  response.headers.set("Content-Security-Policy", policy);
  if (overHttps(request.headers, env.TRUSTED_PROXIES)) response.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  return response;
}

export const config = {
  // Pages: not /api/ nor a route's CSV, nor Next's static files and the icon (next.config.ts gives
  // those their headers).
  matcher: ["/((?!api/|_next/static|_next/image|icon.svg|favicon.ico|routes/[^/]+/snapshots\\.csv).*)"],
};
