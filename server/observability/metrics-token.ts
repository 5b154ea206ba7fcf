import { createHash, timingSafeEqual } from "node:crypto";

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

/**
 * Whether an Authorization header carries the metrics token (`Bearer <token>`); always when no
 * token is configured. Compared as SHA-256 digests in constant time, so neither the token's
 * length nor its first differing character shows in how long a refusal takes.
 */
export function metricsAuthorized(authorization: string | null | undefined, token: string | undefined): boolean {
  if (!token) return true;
  const presented = /^Bearer[ \t]+(\S+)\s*$/i.exec(authorization ?? "")?.[1] ?? "";
  return timingSafeEqual(digest(presented), digest(token));
}

export const METRICS_CHALLENGE = 'Bearer realm="metrics"';
