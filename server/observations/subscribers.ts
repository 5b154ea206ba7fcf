import { recordProviderCalls } from "@/db/queries/provider-calls";
import { metrics } from "@/server/metrics";
import { ObservationRegistry } from "./registry";

/**
 * Every subscriber to price observations, in one place. The app context registers them once
 * per process; tests that build their own context get the same ones.
 * - provider-calls: how each provider did, in the prices' own transaction, so provider health
 *   is read from the database by any instance (and by the admin console).
 * - metrics: the process's count of observations, on /api/health.
 */
export function registerObservationSubscribers(registry = new ObservationRegistry()): ObservationRegistry {
  return registry
    .onWrite("provider-calls", (observations, tx) => recordProviderCalls(tx, observations))
    .onCommit("metrics", () => {
      metrics.observations++;
    });
}
