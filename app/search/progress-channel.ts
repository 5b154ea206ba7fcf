import type { ProviderChip } from "@/components/results/types";
import { rankOffers } from "@/server/core/aggregate";
import { combineReports } from "@/server/core/provider-report";
import type { ProviderProgress } from "@/server/services/search/search-flights";

export const PREVIEW_OFFERS = 8;

// Promise.withResolvers needs Node 22.
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Turns a search's per-provider, per-cabin reports into one promise per provider, resolved
 * when that provider has answered for every cabin: a server component hands these promises to
 * the page, and React streams each as it settles.
 */
export function progressChannel(providers: { id: string; name: string; simulated: boolean }[], cabins: number) {
  const pending = new Map(providers.map((p) => [p.id, { info: p, resolvers: deferred<ProviderChip>(), reports: [] as ProviderProgress[] }]));
  const resolve = (id: string, chip: ProviderChip) => {
    pending.get(id)?.resolvers.resolve(chip);
    pending.delete(id);
  };
  const promises = providers.map((p) => pending.get(p.id)!.resolvers.promise);
  return {
    promises,
    listener(progress: ProviderProgress) {
      const entry = pending.get(progress.report.provider);
      if (!entry) return;
      entry.reports.push(progress);
      if (entry.reports.length < cabins) return;
      const [combined] = combineReports(entry.reports.map((r) => [r.report]));
      resolve(entry.info.id, {
        provider: entry.info.id,
        name: entry.info.name,
        simulated: entry.info.simulated,
        status: combined!.status,
        latencyMs: combined!.latencyMs,
        offerCount: combined!.offerCount,
        error: combined!.error ?? null,
        preview: rankOffers(entry.reports.flatMap((r) => r.offers), "best").slice(0, PREVIEW_OFFERS),
      });
    },
    /** Once the search is over: any provider not heard from was never asked. */
    settle() {
      for (const { info } of [...pending.values()]) {
        resolve(info.id, { provider: info.id, name: info.name, simulated: info.simulated, status: "skipped", latencyMs: 0, offerCount: 0, error: null, preview: [] });
      }
    },
  };
}
