import { defaultShouldDehydrateQuery, QueryClient } from "@tanstack/react-query";
import superjson from "superjson";

/**
 * One factory for the server (a client per request) and the browser (one for the page's
 * life). Pending queries are dehydrated too, so that a server component can start a query
 * without waiting for it and the answer streams to the browser when it is ready.
 */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Search answers are cached for minutes on the server; asking again sooner gains nothing.
        staleTime: 5 * 60 * 1000,
        refetchOnWindowFocus: false,
        retry: 1,
      },
      dehydrate: {
        serializeData: superjson.serialize,
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "pending",
        // Errors reach the browser without their server details; it asks again over HTTP.
        shouldRedactErrors: () => true,
      },
      hydrate: {
        deserializeData: superjson.deserialize,
      },
    },
  });
}
