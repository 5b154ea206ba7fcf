import type { Redis } from "@upstash/redis";
import type { Cache } from "./types";

/**
 * Upstash Redis over its REST API: a cache shared by every app instance. Values are stored as
 * JSON strings under the given key prefix. Build the client with createUpstashRedis.
 */
export class UpstashCache implements Cache {
  readonly name = "upstash" as const;

  constructor(
    readonly redis: Redis,
    private readonly prefix = "ft:",
  ) {}

  async get<T>(key: string): Promise<T | null> {
    const raw = await this.redis.get<string>(this.prefix + key);
    return raw == null ? null : (JSON.parse(raw) as T);
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.prefix + key, JSON.stringify(value), { ex: ttlSeconds });
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}
