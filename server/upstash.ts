import { Redis } from "@upstash/redis";

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
