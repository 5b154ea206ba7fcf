import type { RateLimiter, RateLimitResult } from "./types";

/** A limiter whose store fails lets the request through: rate limiting must not take the API down. */
export class SafeRateLimiter implements RateLimiter {
  failures = 0;

  constructor(
    private readonly inner: RateLimiter,
    private readonly limitPerWindow: number,
    private readonly onFailure: (error: unknown) => void = () => {},
  ) {}

  async limit(key: string): Promise<RateLimitResult> {
    try {
      return await this.inner.limit(key);
    } catch (error) {
      this.failures++;
      this.onFailure(error);
      return { allowed: true, limit: this.limitPerWindow, remaining: this.limitPerWindow, resetAt: Date.now() };
    }
  }
}
