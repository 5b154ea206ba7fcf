import type { inferRouterOutputs } from "@trpc/server";
import type { Offer } from "@/server/core/offer";
import type { ProviderReport } from "@/server/core/provider-report";
import type { AppRouter } from "@/server/trpc/root";

export type Results = inferRouterOutputs<AppRouter>["flight"]["results"];
export type ResultOffer = Results["offers"][number];
export type Names = Results["names"];
/** What the results page shows of one provider while a search runs (app/search/progress-channel.ts). */
export interface ProviderChip extends Omit<ProviderReport, "status" | "attempts"> {
  /** skipped: the search ended (bad input, say) before asking this provider. */
  status: ProviderReport["status"] | "skipped";
  /** Its best offers, to show before every provider is in. */
  preview: Offer[];
}
