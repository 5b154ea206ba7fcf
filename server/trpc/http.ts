import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { InnerContext } from "./init";
import { MAX_BATCH_SIZE } from "./limits";
import { appRouter } from "./root";

/**
 * tRPC over HTTP, as /api/trpc serves it: batches of at most MAX_BATCH_SIZE calls (a larger one
 * is a 400, "Batch call exceeds maximum size"), each call going through its procedure's own rate
 * limit. The tests call this with their own context.
 */
export function handleTRPC(request: Request, createContext: () => Promise<InnerContext>): Promise<Response> {
  return fetchRequestHandler({ endpoint: "/api/trpc", req: request, router: appRouter, createContext, maxBatchSize: MAX_BATCH_SIZE });
}
