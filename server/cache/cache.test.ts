import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisUnavailable, startUpstashBridge, type UpstashBridge } from "@/test/upstash-bridge";
import { MemoryCache } from "./memory";
import { SafeCache } from "./safe";
import type { Cache } from "./types";
import { createUpstashRedis } from "@/server/upstash";
import { UpstashCache } from "./upstash";

const redisDown = await redisUnavailable();
if (redisDown && !process.env.CI) console.warn(`[test] Redis tests skipped: ${redisDown}`);

/** The behaviour every driver shares. */
function cacheContract(name: string, make: () => Cache) {
  describe(`${name}: the cache contract`, () => {
    it("returns what was set, until it expires", async () => {
      const cache = make();
      const key = `k-${crypto.randomUUID()}`;
      expect(await cache.get(key)).toBeNull();
      await cache.set(key, { flights: [{ price: 41_200, carrier: "BA" }], note: "São Paulo ✈" }, 1);
      expect(await cache.get(key)).toEqual({ flights: [{ price: 41_200, carrier: "BA" }], note: "São Paulo ✈" });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(await cache.get(key)).toBeNull();
    });

    it("overwrites and deletes", async () => {
      const cache = make();
      const key = `k-${crypto.randomUUID()}`;
      await cache.set(key, 1, 60);
      await cache.set(key, 2, 60);
      expect(await cache.get(key)).toBe(2);
      await cache.delete(key);
      expect(await cache.get(key)).toBeNull();
    });
  });
}

cacheContract("MemoryCache", () => new MemoryCache());

describe("MemoryCache", () => {
  it("holds a bounded number of entries, dropping the least recently used", async () => {
    const cache = new MemoryCache(3);
    await cache.set("a", 1, 60);
    await cache.set("b", 2, 60);
    await cache.set("c", 3, 60);
    await cache.get("a");
    await cache.set("d", 4, 60);
    expect(cache.size).toBe(3);
    expect(await cache.get("b")).toBeNull();
    expect(await cache.get("a")).toBe(1);
  });
});

describe.skipIf(redisDown !== null && !process.env.CI)("UpstashCache against Redis through the REST bridge", () => {
  let bridge: UpstashBridge;
  const prefix = `ft:test:${crypto.randomUUID()}:`;
  beforeAll(async () => {
    bridge = await startUpstashBridge({ slowMs: 1_500 });
  });
  afterAll(async () => {
    const keys = await bridge.redis.keys(`${prefix}*`);
    if (keys.length) await bridge.redis.del(...keys);
    await bridge.close();
  });
  const make = () => new UpstashCache(createUpstashRedis({ url: bridge.url, token: bridge.token, timeoutMs: 500 }), prefix);

  cacheContract("UpstashCache", () => make());

  it("really stores in Redis, as JSON with an expiry", async () => {
    await make().set("stored", { a: 1 }, 120);
    expect(await bridge.redis.get(`${prefix}stored`)).toBe('{"a":1}');
    const ttl = await bridge.redis.ttl(`${prefix}stored`);
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(120);
  });

  it("refuses a wrong token", async () => {
    await expect(new UpstashCache(createUpstashRedis({ url: bridge.url, token: "wrong" }), prefix).get("x")).rejects.toThrow(/Unauthorized/);
  });

  it("degrades to no cache when the service errors, is slow, or is gone: never an error", async () => {
    const failures: string[] = [];
    const cache = new SafeCache(make(), ({ operation }) => failures.push(operation));
    await cache.set("degrade", 1, 60);
    expect(await cache.get("degrade")).toBe(1);

    bridge.fault = "error";
    expect(await cache.get("degrade")).toBeNull();
    await expect(cache.set("degrade", 2, 60)).resolves.toBeUndefined();

    bridge.fault = "slow";
    const started = Date.now();
    expect(await cache.get("degrade")).toBeNull();
    expect(Date.now() - started).toBeLessThan(1_400);
    bridge.fault = "none";

    const gone = new SafeCache(new UpstashCache(createUpstashRedis({ url: "http://127.0.0.1:1", token: "t", timeoutMs: 500 }), prefix), ({ operation }) =>
      failures.push(operation),
    );
    expect(await gone.get("degrade")).toBeNull();
    expect(failures).toEqual(["get", "set", "get", "get"]);
    expect(await cache.get("degrade")).toBe(1);
  });
});
