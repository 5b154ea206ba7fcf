import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryCache } from "@/server/cache/memory";
import { SafeCache } from "@/server/cache/safe";
import { UpstashCache } from "@/server/cache/upstash";
import { createUpstashRedis } from "@/server/upstash";
import { redisUnavailable, startUpstashBridge, type UpstashBridge } from "@/test/upstash-bridge";
import { checkCache } from "./cache-check";
import { Deadline, urlHost } from "./dependency";

const redisDown = await redisUnavailable();
if (redisDown && !process.env.CI) console.warn(`[test] Upstash cache health tests skipped: Redis unavailable (${redisDown}).`);

describe("checkCache in memory", () => {
  it("is ok: a write read back", async () => {
    const health = await checkCache(new SafeCache(new MemoryCache()), new Deadline(1_000));
    expect(health).toMatchObject({ status: "ok", driver: "memory", location: null, error: null });
  });
});

describe.skipIf(redisDown !== null && !process.env.CI)("checkCache on Upstash (Redis through the REST bridge)", () => {
  let bridge: UpstashBridge;
  beforeAll(async () => {
    bridge = await startUpstashBridge({ slowMs: 2_000 });
  });
  afterAll(async () => {
    await bridge?.close();
  });
  // The app's own cache: failures hidden behind SafeCache, which the check must see through.
  const appCache = () => new SafeCache(new UpstashCache(createUpstashRedis({ url: bridge.url, token: bridge.token })));
  const options = () => ({ location: urlHost(bridge.url), secrets: [bridge.token] });

  it("is ok when Redis answers, and leaves no key behind", async () => {
    const before = bridge.requests;
    const health = await checkCache(appCache(), new Deadline(2_000), options());
    expect(health).toMatchObject({ status: "ok", driver: "upstash", location: bridge.url, error: null });
    expect(bridge.requests - before).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await bridge.redis.keys("ft:health:*")).toEqual([]);
  });

  it("is down when the bridge fails, though the app's SafeCache would only have missed", async () => {
    bridge.fault = "error";
    try {
      const health = await checkCache(appCache(), new Deadline(2_000), options());
      expect(health.status).toBe("down");
      expect(health.error).toBeTruthy();
      expect(JSON.stringify(health)).not.toContain(bridge.token);
    } finally {
      bridge.fault = "none";
    }
  });

  it("is down when the token is refused", async () => {
    const cache = new SafeCache(new UpstashCache(createUpstashRedis({ url: bridge.url, token: "not-the-token" })));
    const health = await checkCache(cache, new Deadline(2_000), { location: bridge.url, secrets: ["not-the-token"] });
    expect(health.status).toBe("down");
    expect(health.error).not.toContain("not-the-token");
  });

  it("is down, timed out, when the bridge hangs past the deadline", async () => {
    bridge.fault = "slow";
    try {
      // The client's own timeout (1 s) is longer than the deadline: the deadline decides.
      const health = await checkCache(appCache(), new Deadline(300), options());
      expect(health).toMatchObject({ status: "down", latencyMs: null });
      expect(health.error).toMatch(/timed out after 300 ms/);
    } finally {
      bridge.fault = "none";
    }
  });

  it("is down when nothing listens at the URL", async () => {
    const cache = new SafeCache(new UpstashCache(createUpstashRedis({ url: "http://127.0.0.1:1", token: "t" })));
    const health = await checkCache(cache, new Deadline(2_000), { location: "http://127.0.0.1:1" });
    expect(health.status).toBe("down");
    expect(health.error).toBeTruthy();
  });
});
