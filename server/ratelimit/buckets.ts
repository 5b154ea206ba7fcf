import type { Principal } from "@/server/auth/principal";
import { metrics } from "@/server/metrics";
import type { ApiLimitName, CallerBucket, Limiters } from "./index";
import type { RateLimiter, RateLimitResult } from "./types";

/** Where one request's count goes: a limiter and the caller's key in it. */
export interface Bucket {
  limiter: RateLimiter;
  key: string;
  kind: CallerBucket;
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
  return limiter && { limiter, key, kind };
}

/**
 * Counts one request against its bucket: the result, for RateLimit-* headers and Retry-After
 * (a refusal is counted in the metrics; the caller answers it), or null without a bucket.
 */
export async function take(bucket: Bucket | null): Promise<RateLimitResult | null> {
  if (!bucket) return null;
  const result = await bucket.limiter.limit(bucket.key);
  if (!result.allowed) metrics.rateLimited++;
  return result;
}
