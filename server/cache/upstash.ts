import { Redis } from "@upstash/redis";
import type { Cache } from "./types";

/**
 * Upstash Redis over its REST API: a cache shared by every app instance. Values are stored as
 * JSON strings under the given key prefix.
 */
export class UpstashCache implements Cache {
  readonly name = "upstash" as const;
  readonly redis: Redis;

  constructor(
    connection: Redis | { url: string; token: string; timeoutMs?: number },
    private readonly prefix = "ft:",
  ) {
    this.redis =
      connection instanceof Redis
        ? connection
        : new Redis({
            url: connection.url,
            token: connection.token,
            // No retries inside the client: a slow or failing cache must cost little; see SafeCache.
            retry: false,
            automaticDeserialization: false,
            signal: () => AbortSignal.timeout(connection.timeoutMs ?? 1_000),
            enableTelemetry: false,
          });
  }

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
