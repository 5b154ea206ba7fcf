import { Redis } from "@upstash/redis";
import { env } from "@/server/env";

/**
 * An Upstash Redis client as the app uses it: no retries inside the client and a 1 s timeout
 * (a slow or failing Redis must cost little: callers degrade instead), values as raw strings,
 * no telemetry.
 */
export function createUpstashRedis(options: { url: string; token: string; timeoutMs?: number }): Redis {
  return new Redis({
    url: options.url,
    token: options.token,
    retry: false,
    automaticDeserialization: false,
    signal: () => AbortSignal.timeout(options.timeoutMs ?? 1_000),
    enableTelemetry: false,
  });
}

let client: Redis | null | undefined;

/** The app's client when UPSTASH_REDIS_REST_URL and its token are set, else null. */
export function getUpstashRedis(): Redis | null {
  if (client === undefined) {
    client =
      env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN
        ? createUpstashRedis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN })
        : null;
  }
  return client;
}
