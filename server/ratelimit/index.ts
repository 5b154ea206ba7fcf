import type { Redis } from "@upstash/redis";
import { MemoryRateLimiter } from "./memory";
import { SafeRateLimiter } from "./safe";
import type { RateLimiter } from "./types";
import { UpstashRateLimiter } from "./upstash";

/** Every limit of the app. Their sizes come from the configuration; a limit of 0 requests turns it off. */
export const LIMIT_NAMES = ["search", "lookup"] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];
export type Limits = Record<LimitName, { requests: number; windowSeconds: number }>;

/**
 * One limiter per limit, built on first use: shared in Upstash Redis when a client is given,
 * else per process; either way behind SafeRateLimiter, so a failing store lets requests through.
 */
export function createLimiters(limits: Limits, redis: Redis | null, onFailure: (name: LimitName, error: unknown) => void): (name: LimitName) => RateLimiter | null {
  const limiters = new Map<LimitName, RateLimiter | null>();
  return (name) => {
    if (!limiters.has(name)) {
      const { requests, windowSeconds } = limits[name];
      if (requests === 0) {
        limiters.set(name, null);
      } else {
        const inner = redis ? new UpstashRateLimiter(redis, requests, windowSeconds, `ft:rl:${name}`) : new MemoryRateLimiter(requests, windowSeconds * 1000);
        limiters.set(name, new SafeRateLimiter(inner, requests, (error) => onFailure(name, error)));
      }
    }
    return limiters.get(name)!;
  };
}

export type { RateLimiter, RateLimitResult } from "./types";
export { retryAfterSeconds } from "./types";
