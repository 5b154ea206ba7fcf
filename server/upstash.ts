import { Redis } from "@upstash/redis";
import { env } from "@/server/env";

let client: Redis | null | undefined;

/** The Upstash Redis client when UPSTASH_REDIS_REST_URL and its token are set, else null. */
export function getUpstashRedis(): Redis | null {
  if (client === undefined) {
    client =
      env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN
        ? new Redis({
            url: env.UPSTASH_REDIS_REST_URL,
            token: env.UPSTASH_REDIS_REST_TOKEN,
            retry: false,
            automaticDeserialization: false,
            signal: () => AbortSignal.timeout(1_000),
            enableTelemetry: false,
          })
        : null;
  }
  return client;
}
