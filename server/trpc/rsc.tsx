import "server-only";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { cache, type ReactNode } from "react";
import type { ProviderProgress } from "@/server/services/search/search-flights";
import { createTRPCContext } from "@/server/trpc/init";
import { makeQueryClient } from "@/server/trpc/query-client";
import { appRouter } from "@/server/trpc/root";

/**
 * Server components call procedures in process (never over HTTP to our own API) through this
 * proxy, with one query client and one context per request, then hand the queries to the
 * browser with <HydrateClient>.
 */
export const getQueryClient = cache(makeQueryClient);

/** Where this request's search reports each provider's answer (one search per page). */
export const getProgressSink = cache(() => ({ listener: null as ((progress: ProviderProgress) => void) | null }));

const createContext = cache(async () => {
  const context = await createTRPCContext({ headers: await headers() });
  const sink = getProgressSink();
  return { ...context, onSearchProgress: (progress: ProviderProgress) => sink.listener?.(progress) };
});

export const trpc = createTRPCOptionsProxy({ ctx: createContext, router: appRouter, queryClient: getQueryClient });

export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}
