import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { createUpstashRedis } from "@/server/upstash";
import { bridgeForTests, redisUnavailable } from "@/test/upstash-bridge";
import { MemoryRateLimiter } from "./memory";
import { SafeRateLimiter } from "./safe";
import { retryAfterSeconds } from "./types";
import { UpstashRateLimiter } from "./upstash";

const redisDown = await redisUnavailable();

describe("MemoryRateLimiter", () => {
  it("allows the limit within a window, refuses the next, and says when to retry", async () => {
    let now = 1_000_000_000_020;
    const limiter = new MemoryRateLimiter(3, 60_000, () => now);
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.limit("1.2.3.4"));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
    expect(retryAfterSeconds(results[3]!, now)).toBeGreaterThan(0);
    expect(retryAfterSeconds(results[3]!, now)).toBeLessThanOrEqual(60);
    // Another client has its own allowance.
    expect((await limiter.limit("5.6.7.8")).allowed).toBe(true);
    // The window slides: two windows on, everything is forgiven.
    now += 120_000;
    expect((await limiter.limit("1.2.3.4")).allowed).toBe(true);
  });

  it("weighs the previous window while it still overlaps", async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter(10, 60_000, () => now);
    for (let i = 0; i < 10; i++) await limiter.limit("k");
    now = 60_000 + 6_000; // 90% of the previous window still overlaps: 9 of 10 used
    expect((await limiter.limit("k")).allowed).toBe(true);
    expect((await limiter.limit("k")).allowed).toBe(false);
  });
});

describe.skipIf(redisDown !== null && !process.env.CI)("UpstashRateLimiter against Redis through the REST bridge", () => {
  const prefix = `ft:test-rl:${crypto.randomUUID()}`;
  const bridge = bridgeForTests(prefix);
  const redis = () => createUpstashRedis({ url: bridge().url, token: bridge().token });

  it("allows the limit, then refuses, sharing counts across limiter instances", async () => {
    const a = new UpstashRateLimiter(redis(), 3, 60, prefix);
    const b = new UpstashRateLimiter(redis(), 3, 60, prefix);
    const key = crypto.randomUUID();
    const results = [await a.limit(key), await b.limit(key), await a.limit(key), await b.limit(key)];
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3]!.resetAt).toBeGreaterThan(Date.now());
    expect(await bridge().redis.keys(`${prefix}*`)).not.toHaveLength(0);
  });

  it("lets requests through when Redis cannot be reached", async () => {
    const errors: unknown[] = [];
    const broken = createUpstashRedis({ url: "http://127.0.0.1:1", token: "t" });
    const limiter = new SafeRateLimiter(new UpstashRateLimiter(broken, 1, 60, prefix), 1, (error) => errors.push(error));
    expect((await limiter.limit("x")).allowed).toBe(true);
    expect((await limiter.limit("x")).allowed).toBe(true);
    expect(errors).toHaveLength(2);
  });
});
