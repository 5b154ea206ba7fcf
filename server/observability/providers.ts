import type { ProviderResult } from "@/server/providers/types";
import { prom } from "./metrics";

/** One provider call's outcome in the metrics (the latency is the call's own, retries included). */
export function observeProviderCall(result: Pick<ProviderResult, "provider" | "status" | "latencyMs" | "attempts" | "offerCount">): void {
  const labels = { provider: result.provider, outcome: result.status };
  prom.providerCalls.inc(labels);
  prom.providerDuration.observe(labels, result.latencyMs / 1000);
  if (result.attempts > 1) prom.providerRetries.inc({ provider: result.provider }, result.attempts - 1);
  if (result.offerCount > 0) prom.providerOffers.inc({ provider: result.provider }, result.offerCount);
}
