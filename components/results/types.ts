import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

export type Results = inferRouterOutputs<AppRouter>["flight"]["results"];
export type ResultOffer = Results["offers"][number];
export type Names = Results["names"];
export type { ProviderChip } from "@/server/services/search-progress";
