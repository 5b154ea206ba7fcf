import { quote, type SimulatedSource } from "@/server/core/fare-model";
import type { Reference } from "@/server/core/reference";
import { scaleOffers } from "./market-control";
import { ProviderError, sleep, type FlightProvider } from "./types";

export interface SimulatedKnobs {
  /** Answer time range in ms. */
  latencyMs: [number, number];
  /** Share of calls failing with a transient error. */
  errorRate: number;
  /** Share of calls that never answer. */
  timeoutRate: number;
  /** Fail every call. */
  fail: boolean;
  /** The test control's factor for a route (server/providers/market-control.ts); absent: prices as modelled. */
  factor?: (origins: string[], destinations: string[]) => Promise<number>;
}

/** How long each simulated seller takes to answer unless told otherwise. */
export const DEFAULT_LATENCY: Record<string, [number, number]> = {
  skyway: [150, 600],
  farefinder: [300, 1_200],
};

/**
 * A seller of the simulated market as a provider: the fare model's offers, after a realistic
 * wait, with knobs for failures and timeouts. Prices are deterministic; only the knobs use
 * chance.
 */
export function simulatedProvider(
  source: SimulatedSource,
  loadReference: () => Promise<Reference>,
  knobs: SimulatedKnobs,
  random: () => number = Math.random,
): FlightProvider {
  return {
    id: source.id,
    name: source.name,
    simulated: true,
    async search(query, { signal, now }) {
      const [min, max] = knobs.latencyMs;
      const latency = min + random() * (max - min);
      if (knobs.fail) {
        await sleep(Math.min(latency, 100), signal);
        throw new ProviderError(`${source.name} is set to fail (SIMULATED_FAIL)`, { transient: false, status: 503 });
      }
      const roll = random();
      if (roll < knobs.timeoutRate) {
        await sleep(3_600_000, signal);
      }
      if (latency > 0) await sleep(latency, signal);
      if (roll < knobs.timeoutRate + knobs.errorRate) {
        throw new ProviderError(`${source.name} answered 503 (simulated error)`, { transient: true, status: 503 });
      }
      const offers = quote(await loadReference(), query, source, now);
      return knobs.factor ? scaleOffers(offers, await knobs.factor(query.origins, query.destinations)) : offers;
    },
  };
}
