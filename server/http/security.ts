/**
 * The security headers of every answer, pages and APIs alike. The static ones are set by
 * next.config.ts (so static files have them too, and API answers their policy); the per-request
 * ones (a page's CSP with its nonce, X-Request-Id, HSTS over HTTPS) by proxy.ts for pages and by
 * withRequestScope (server/http/route.ts) for API answers, which the proxy leaves alone: it
 * would cost every API call a third of its throughput.
 */

export const REQUEST_ID_HEADER = "x-request-id";

/** A caller's request id is kept when it is plainly an id; anything else is replaced. */
export function requestIdFrom(headers: Headers): string {
  const given = headers.get(REQUEST_ID_HEADER);
  return given && /^[A-Za-z0-9._:-]{8,128}$/.test(given) ? given : crypto.randomUUID();
}

export const STATIC_SECURITY_HEADERS: { key: string; value: string }[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()" },
  { key: "X-Frame-Options", value: "DENY" },
];

export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

/**
 * `next start` serves plain HTTP; HTTPS ends at a reverse proxy in front, which says so in
 * X-Forwarded-Proto. Only a trusted proxy's word counts (TRUSTED_PROXIES): a client can send the
 * header too, and Next's own `nextUrl.protocol` believes it.
 */
export function overHttps(headers: Headers, trustedProxies: number): boolean {
  return trustedProxies > 0 && headers.get("x-forwarded-proto")?.split(",").at(-1)?.trim() === "https";
}

/**
 * A page's policy: scripts only with this request's nonce (Next puts it on its own scripts) and
 * what they load ('strict-dynamic'); styles from the app, plus style attributes (React's
 * `style={...}`, which no nonce can cover); everything else from the app only, never framed.
 * Development adds what React's dev tools and hot reload need. Forms post to the app only, and
 * to the sign-in providers configured (`formTargets`): the sign-in page's GitHub or Google button
 * redirects there, which a browser without JavaScript checks against form-action.
 */
export function pagePolicy(nonce: string, options: { development: boolean; formTargets?: readonly string[] }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    `style-src 'self'${options.development ? " 'unsafe-inline'" : ` 'nonce-${nonce}'`}`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${options.development ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    ["form-action 'self'", ...(options.formTargets ?? [])].join(" "),
    "frame-ancestors 'none'",
  ].join("; ");
}

/** An API answer is data, never a document: nothing may load from or frame it. */
export const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * The GraphQL explorer's page (GraphiQL at /api/graphql, development only): one page of inline
 * scripts and styles that talks to its own origin.
 */
export const EXPLORER_POLICY =
  "default-src 'none'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'";

/**
 * Whether a browser says this request comes from another site's page: `Sec-Fetch-Site` other
 * than same-origin or none (a typed address, a bookmark), or an `Origin` whose host is not
 * `host` (`null`, the origin of sandboxed frames and of redirects across sites, included). A
 * request that says neither (curl, an older browser's GET) is not cross-site. REST mutations
 * (server/http/api-keys-endpoint.ts) and tRPC mutations (server/trpc/init.ts) with a session
 * refuse it: another site's form or script must not act with the user's cookie.
 */
export function crossSiteRequest(headers: Headers, host: string | null): boolean {
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return true;
  const origin = headers.get("origin");
  if (!origin) return false;
  if (!URL.canParse(origin) || !host) return true;
  return new URL(origin).host !== host.toLowerCase();
}

/**
 * The host the browser asked for: behind trusted reverse proxies the last X-Forwarded-Host, else
 * the Host header, else the URL's. Not the handler's URL alone: `next start` on every address
 * gives handlers URLs at 0.0.0.0. Sign-in links and the cross-site checks both go by this.
 */
export function requestHost(headers: Headers, trustedProxies: number, fallback?: string): string | null {
  const forwarded = trustedProxies > 0 ? headers.get("x-forwarded-host")?.split(",").at(-1)?.trim() : undefined;
  return forwarded || headers.get("host") || fallback || null;
}

/** Why a cross-site mutation is refused (a ForbiddenError), the same on every transport. */
export const CROSS_SITE_REFUSAL = "Cross-site requests may not change anything here.";

/** Where the sign-in providers configured take a browser: their authorization pages' origins. */
export function signInFormTargets(configured: { github: boolean; google: boolean }): string[] {
  return [...(configured.github ? ["https://github.com"] : []), ...(configured.google ? ["https://accounts.google.com"] : [])];
}
