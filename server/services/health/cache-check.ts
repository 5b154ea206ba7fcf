import { randomUUID } from "node:crypto";
import { SafeCache } from "@/server/cache/safe";
import type { Cache } from "@/server/cache/types";
import { safeMessage, since, type Deadline, type DependencyHealth } from "./dependency";

export interface CacheHealth extends DependencyHealth {
  driver: Cache["name"];
  /** The Upstash REST endpoint (scheme, host, port), or null in memory. */
  location: string | null;
}

/**
 * A write and a read back of a short-lived key, through the cache the app uses (for Upstash the
 * same client, so its rate limits' store too). The app's SafeCache turns failures into misses;
 * this asks the store behind it, which tells the failure. A cache that is down is "down", and
 * the app serves without it (every search a miss, rate limits let requests through).
 */
export async function checkCache(
  cache: Cache,
  deadline: Deadline,
  options: { location?: string | null; secrets?: string[] } = {},
): Promise<CacheHealth> {
  const store = cache instanceof SafeCache ? cache.inner : cache;
  const health: CacheHealth = { status: "down", latencyMs: null, error: null, note: null, driver: store.name, location: options.location ?? null };
  const key = `health:${randomUUID()}`;
  const value = { at: Date.now() };
  const started = performance.now();
  try {
    await deadline.race(store.set(key, value, 10), "Writing to the cache");
    const read = await deadline.race(store.get<typeof value>(key), "Reading from the cache");
    health.latencyMs = since(started);
    if (read?.at === value.at) health.status = "ok";
    else {
      health.status = "degraded";
      health.error = "The cache took a write but did not give it back";
    }
    void store.delete(key).catch(() => {});
  } catch (error) {
    health.error = safeMessage(error, options.secrets);
  }
  return health;
}
