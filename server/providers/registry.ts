import { SIMULATED_SOURCES } from "@/server/core/fare-model";
import type { Reference } from "@/server/core/reference";
import { DEFAULT_RESILIENCE, ResilientProvider, type ResilienceOptions } from "./resilience";
import { DEFAULT_LATENCY, simulatedProvider } from "./simulated";
import type { FlightProvider } from "./types";

export interface ProviderSettings {
  /** PROVIDERS as given, or undefined. */
  providers?: string;
  duffel?: { token: string; baseUrl: string };
  simulatedLatencyMs?: string;
  simulatedErrorRate: number;
  simulatedTimeoutRate: number;
  simulatedFail: string;
  resilience: ResilienceOptions;
}

const SIMULATED_IDS = SIMULATED_SOURCES.map((s) => s.id);
export const KNOWN_PROVIDERS = ["simulated", ...SIMULATED_IDS, "duffel"];

/** PROVIDERS -> provider ids. Unset: duffel when it has a token, else the simulated market. */
export function resolveProviderIds(spec: string | undefined, hasDuffel: boolean): string[] {
  const names = (spec ?? (hasDuffel ? "duffel" : "simulated"))
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((name) => !KNOWN_PROVIDERS.includes(name));
  if (unknown.length) throw new Error(`PROVIDERS names unknown providers (${unknown.join(", ")}); known: ${KNOWN_PROVIDERS.join(", ")}`);
  if (names.includes("duffel") && !hasDuffel) throw new Error("PROVIDERS includes duffel but DUFFEL_ACCESS_TOKEN is not set");
  const ids = names.flatMap((name) => (name === "simulated" ? SIMULATED_IDS : [name]));
  return [...new Set(ids)];
}

function parseLatency(spec: string | undefined, id: string): [number, number] {
  if (!spec) return DEFAULT_LATENCY[id] ?? [0, 0];
  const [min, max = min] = spec.split("-").map(Number) as [number, number?];
  return [Math.min(min, max), Math.max(min, max)];
}

/**
 * The enabled providers, each behind its own resilience wrapper (so each keeps its own
 * circuit breaker and concurrency limit for the life of the process).
 */
export function createProviders(
  settings: ProviderSettings,
  deps: {
    loadReference: () => Promise<Reference>;
    createDuffel?: (options: { token: string; baseUrl: string }) => FlightProvider;
    /** The simulated market's test control, when it is on. */
    marketFactor?: (origins: string[], destinations: string[]) => Promise<number>;
  },
): ResilientProvider[] {
  const ids = resolveProviderIds(settings.providers, Boolean(settings.duffel));
  const failing = new Set(settings.simulatedFail.split(",").map((s) => s.trim()).filter(Boolean));
  return ids.map((id) => {
    if (id === "duffel") {
      if (!deps.createDuffel || !settings.duffel) throw new Error("The Duffel provider is not available");
      return new ResilientProvider(deps.createDuffel(settings.duffel), settings.resilience);
    }
    const source = SIMULATED_SOURCES.find((s) => s.id === id)!;
    const provider = simulatedProvider(source, deps.loadReference, {
      latencyMs: parseLatency(settings.simulatedLatencyMs, id),
      errorRate: settings.simulatedErrorRate,
      timeoutRate: settings.simulatedTimeoutRate,
      fail: failing.has(id) || failing.has("simulated"),
      factor: deps.marketFactor,
    });
    return new ResilientProvider(provider, settings.resilience);
  });
}

export { DEFAULT_RESILIENCE };
