/** How a provider did: the one shape from the resilience wrapper to the API and the page. */

export const PROVIDER_STATUSES = ["ok", "error", "timeout", "circuit_open", "paused"] as const;
export type ProviderStatus = (typeof PROVIDER_STATUSES)[number];

/** The statuses of calls that were made or skipped by the breaker (provider_call); a paused provider is not called, so not recorded. */
export const RECORDED_PROVIDER_STATUSES = ["ok", "error", "timeout", "circuit_open"] as const satisfies readonly ProviderStatus[];

export interface ProviderReport {
  provider: string;
  name: string;
  simulated: boolean;
  status: ProviderStatus;
  latencyMs: number;
  offerCount: number;
  /** A short reason when the status is not ok, safe to show. */
  error: string | null;
  /** Calls made (retries included); 0 when the circuit breaker skipped the provider or an admin paused it. */
  attempts: number;
}

/** One report per provider over several cabins: the first failure wins, latencies the longest. */
export function combineReports(perCabin: ProviderReport[][]): ProviderReport[] {
  const byProvider = new Map<string, ProviderReport>();
  for (const reports of perCabin) {
    for (const report of reports) {
      const seen = byProvider.get(report.provider);
      if (!seen) {
        byProvider.set(report.provider, { ...report });
        continue;
      }
      seen.offerCount += report.offerCount;
      seen.attempts = (seen.attempts ?? 0) + (report.attempts ?? 0);
      seen.latencyMs = Math.max(seen.latencyMs, report.latencyMs);
      if (seen.status === "ok" && report.status !== "ok") {
        seen.status = report.status;
        seen.error = report.error;
      }
    }
  }
  return [...byProvider.values()];
}
