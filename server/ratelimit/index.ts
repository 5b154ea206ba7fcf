import type { Redis } from "@upstash/redis";
import { MemoryRateLimiter } from "./memory";
import { SafeRateLimiter } from "./safe";
import type { RateLimiter } from "./types";
import { UpstashRateLimiter } from "./upstash";

/**
 * What a bucket is keyed on. The API's callers: an anonymous one by its client address, a
 * signed-in user by user id, an API key by key id. Sign-in: the email address typed, and the
 * client address.
 */
export type CallerBucket = "address" | "user" | "key";
export type SignInBucket = "email" | "address";

/** A limit: its window, and how many requests each kind of bucket may make in it (0: none for that kind). */
export interface Limit<B extends string> {
  windowSeconds: number;
  requests: Record<B, number>;
}

/** The limits of the API, each with a size per kind of caller. */
export type ApiLimitName = "search" | "lookup";

/**
 * Every limit of the app, one table; its sizes come from the configuration (server/env.ts,
 * configFromEnv). `search`: flight searches (REST /flights/search, tRPC flight.search and
 * flight.results); `lookup`: airport lookups (REST /airports, tRPC airport.search); `signIn`:
 * sign-in links asked for (server/ratelimit/sign-in.ts).
 */
export type Limits = Record<ApiLimitName, Limit<CallerBucket>> & { signIn: Limit<SignInBucket> };
export type LimitName = keyof Limits;
export type BucketOf<N extends LimitName> = keyof Limits[N]["requests"] & string;

/** The limiter of one limit for one kind of bucket; null when that one is off. */
export type Limiters = <N extends LimitName>(name: N, bucket: BucketOf<N>) => RateLimiter | null;

/**
 * One limiter per limit and kind of bucket, built on first use: shared in Upstash Redis when a
 * client is given, else per process; either way behind SafeRateLimiter, so a failing store lets
 * requests through. In Redis, a limit's client addresses keep the keys they always had
 * (`ft:rl:search:<address>`) and its other buckets get their own prefix
 * (`ft:rl:search/key:key:<id>`): with no trusted proxy a client address is whatever
 * X-Forwarded-For says, and must not be able to name someone else's bucket.
 */
export function createLimiters(limits: Limits, redis: Redis | null, onFailure: (limit: string, error: unknown) => void, prefix = "ft:rl"): Limiters {
  const limiters = new Map<string, RateLimiter | null>();
  return (name, bucket) => {
    const id = bucket === "address" ? name : `${name}/${bucket}`;
    if (!limiters.has(id)) {
      const { windowSeconds, requests: sizes } = limits[name];
      const requests = (sizes as Record<string, number>)[bucket]!;
      if (requests === 0) {
        limiters.set(id, null);
      } else {
        const inner = redis ? new UpstashRateLimiter(redis, requests, windowSeconds, `${prefix}:${id}`) : new MemoryRateLimiter(requests, windowSeconds * 1000);
        limiters.set(id, new SafeRateLimiter(inner, requests, (error) => onFailure(id, error)));
      }
    }
    return limiters.get(id)!;
  };
}

export { enforceLimit, limitFor, take, type Bucket } from "./buckets";
export type { RateLimiter, RateLimitResult } from "./types";
export { retryAfterSeconds } from "./types";
