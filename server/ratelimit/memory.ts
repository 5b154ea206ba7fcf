import type { RateLimiter, RateLimitResult } from "./types";

interface Window {
  start: number;
  count: number;
  previous: number;
}

/**
 * Sliding-window limit in process, the same approximation Upstash uses: the current window's
 * count plus the previous window's, weighted by how much of it still overlaps. Bounded: the
 * least recently seen keys are forgotten first.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly requests: number,
    private readonly windowMs: number,
    private readonly clock: () => number = Date.now,
    private readonly maxKeys = 50_000,
  ) {}

  async limit(key: string): Promise<RateLimitResult> {
    const now = this.clock();
    const start = Math.floor(now / this.windowMs) * this.windowMs;
    let window = this.windows.get(key);
    if (!window || window.start < start - this.windowMs) window = { start, count: 0, previous: 0 };
    else if (window.start < start) window = { start, count: 0, previous: window.count };
    const overlap = 1 - (now - start) / this.windowMs;
    const used = window.previous * overlap + window.count;
    const allowed = used < this.requests;
    if (allowed) window.count++;
    this.windows.delete(key);
    this.windows.set(key, window);
    if (this.windows.size > this.maxKeys) this.windows.delete(this.windows.keys().next().value as string);
    const remaining = Math.max(0, Math.floor(this.requests - used - (allowed ? 1 : 0)));
    // When refused: the earliest moment the weighted count falls below the limit.
    const resetAt = allowed
      ? start + this.windowMs
      : window.previous > 0 && window.count < this.requests
        ? now + Math.ceil(((used - this.requests + 1) / window.previous) * this.windowMs)
        : start + this.windowMs;
    return { allowed, limit: this.requests, remaining, resetAt: Math.min(resetAt, start + 2 * this.windowMs) };
  }
}
