import { env } from "@/server/env";
import { overHttps, requestHost } from "@/server/http/security";

/**
 * The request at the address the browser used (its Host header, or a trusted proxy's
 * X-Forwarded-Host and -Proto). `next start` on every address (the quick start) hands Auth.js
 * URLs at 0.0.0.0, and on 127.0.0.1 at localhost: sign-in links, callbacks and the redirect after
 * signing in would go there, away from the browser's cookies.
 */
export async function atPublicUrl(request: Request): Promise<Request> {
  // With AUTH_URL, next-auth puts every request there itself.
  if (env.AUTH_URL) return request;
  const url = new URL(request.url);
  const host = requestHost(request.headers, env.TRUSTED_PROXIES);
  const protocol = overHttps(request.headers, env.TRUSTED_PROXIES) ? "https:" : url.protocol;
  if (!host || (host === url.host && protocol === url.protocol)) return request;
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
  return new Request(`${protocol}//${host}${url.pathname}${url.search}`, { method: request.method, headers: request.headers, body, redirect: "manual" });
}
