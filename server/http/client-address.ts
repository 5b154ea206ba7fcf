/**
 * The address a request came from, for rate limiting. Behind `trustedProxies` reverse proxies
 * each appending to X-Forwarded-For, the client is that many entries from the right; entries
 * further left were written by the client and are not trusted.
 */
export function clientAddress(headers: Headers, trustedProxies: number): string {
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  if (forwarded.length === 0) return headers.get("x-real-ip")?.trim() || "unknown";
  return forwarded[Math.max(0, forwarded.length - 1 - trustedProxies)]!;
}
