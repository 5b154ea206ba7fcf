import { Ratelimit } from "@upstash/ratelimit";
import type { Redis } from "@upstash/redis";
import type { RateLimiter, RateLimitResult } from "./types";

/** Sliding-window limit shared by every app instance, in Upstash Redis. */
export class UpstashRateLimiter implements RateLimiter {
  private readonly ratelimit: Ratelimit;

  constructor(redis: Redis, requests: number, windowSeconds: number, prefix: string) {
    this.ratelimit = new Ratelimit({
      redis,
      limiter: Ratelimit.slidingWindow(requests, `${windowSeconds} s`),
      prefix,
      analytics: false,
      // Callers already refused in this process are refused again without a round trip.
      ephemeralCache: new Map(),
      timeout: 1_000,
    });
  }

  async limit(key: string): Promise<RateLimitResult> {
    const result = await this.ratelimit.limit(key);
    return { allowed: result.success, limit: result.limit, remaining: result.remaining, resetAt: result.reset };
  }
}
