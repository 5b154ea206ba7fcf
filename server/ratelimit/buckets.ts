import type { Principal } from "@/server/auth/principal";
import { RateLimitedError } from "@/server/core/errors";
import { metrics } from "@/server/metrics";
import { prom } from "@/server/observability/metrics";
import type { ApiLimitName, CallerBucket, Limiters } from "./index";
import { retryAfterSeconds, type RateLimiter, type RateLimitResult } from "./types";

/** Where one request's count goes: a limiter and the caller's key in it. */
export interface Bucket {
  limiter: RateLimiter;
  key: string;
  kind: CallerBucket;
  /** The limit it belongs to (for the metrics). */
  limit: ApiLimitName;
}

/**
 * The bucket a request to the API draws from, for REST and tRPC alike: an API key's own (by key
 * id, whatever address it calls from), a signed-in user's (by user id), else its client
 * address's. Null when the limit is off for that kind of caller.
 */
export function limitFor(ctx: { limiter: Limiters }, name: ApiLimitName, principal: Principal | null, address: string): Bucket | null {
  const [kind, key]: [CallerBucket, string] =
    principal?.via === "key" ? ["key", `key:${principal.keyId}`] : principal?.via === "session" ? ["user", `user:${principal.userId}`] : ["address", address];
  const limiter = ctx.limiter(name, kind);
  return limiter && { limiter, key, kind, limit: name };
}

/**
 * Counts one request against its bucket: the result, for RateLimit-* headers and Retry-After
 * (a refusal is counted in the metrics; the caller answers it), or null without a bucket.
 */
export async function take(bucket: Bucket | null): Promise<RateLimitResult | null> {
  if (!bucket) return null;
  const result = await bucket.limiter.limit(bucket.key);
  if (!result.allowed) {
    metrics.rateLimited++;
    prom.rateLimitRejections.inc({ limit: bucket.limit, bucket: bucket.kind });
  }
  return result;
}

/** Counts one call in the caller's bucket and throws RateLimitedError past the limit (tRPC, GraphQL). */
export async function enforceLimit(ctx: { limiter: Limiters }, name: ApiLimitName, principal: Principal | null, address: string): Promise<void> {
  const result = await take(limitFor(ctx, name, principal, address));
  if (result && !result.allowed) throw new RateLimitedError(retryAfterSeconds(result));
}
