import { env } from "@/server/env";
import { log } from "@/server/log";
import { metrics } from "@/server/metrics";
import { getUpstashRedis } from "@/server/upstash";
import { MemoryRateLimiter } from "./memory";
import { SafeRateLimiter } from "./safe";
import type { RateLimiter } from "./types";
import { UpstashRateLimiter } from "./upstash";

/** Every limit of the app, in one table. A limit of 0 requests turns it off. */
export const LIMITS = {
  search: { requests: env.RATE_LIMIT_SEARCH_PER_MINUTE, windowSeconds: 60 },
} as const;

export type LimitName = keyof typeof LIMITS;

const limiters = new Map<LimitName, RateLimiter | null>();

/** The limiter for a limit: shared in Upstash Redis when configured, else per process. */
export function getRateLimiter(name: LimitName): RateLimiter | null {
  if (!limiters.has(name)) {
    const { requests, windowSeconds } = LIMITS[name];
    if (requests === 0) {
      limiters.set(name, null);
    } else {
      const redis = getUpstashRedis();
      const inner = redis
        ? new UpstashRateLimiter(redis, requests, windowSeconds, `ft:rl:${name}`)
        : new MemoryRateLimiter(requests, windowSeconds * 1000);
      limiters.set(
        name,
        new SafeRateLimiter(inner, requests, (error) => {
          metrics.rateLimiterFailures++;
          log.warn("rate limiter unavailable, letting requests through", { limit: name, err: error });
        }),
      );
    }
  }
  return limiters.get(name)!;
}

export type { RateLimiter, RateLimitResult } from "./types";
export { retryAfterSeconds } from "./types";
