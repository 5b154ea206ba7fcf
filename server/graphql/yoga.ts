import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import { getOperationAST } from "graphql";
import { createYoga, type Plugin, type YogaServerInstance } from "graphql-yoga";
import type { AppContext } from "@/server/context";
import { isProduction } from "@/server/env";
import { refuseCrossSiteChange, requestContextFrom, type InnerContext } from "@/server/http/request-context";
import { log } from "@/server/log";
import { maskError, toGraphQLError } from "./errors";
import { schema } from "./schema";

export const GRAPHQL_ENDPOINT = "/api/graphql";

/**
 * Limits of a query's shape, checked before anything runs (graphql-armor), beside the cost limit
 * of the schema (server/graphql/builder.ts), which counts `first` and `last`. Introspection is
 * allowed (the schema is public: server/graphql/schema.graphql) and its depth is not counted.
 */
export const GRAPHQL_LIMITS = { depth: 10, aliases: 15, directives: 10, tokens: 2000 } as const;

/**
 * Yoga's log lines through ours. Yoga logs every error it masks; ours are expected answers (bad
 * input, not found, refused queries) and an unexpected one is logged once already, by the error
 * table (toDomainError), so those are debug lines here.
 */
const yogaLogger = {
  debug: () => {},
  info: (...args: unknown[]) => log.info("graphql", { details: args.map(String) }),
  warn: (...args: unknown[]) => log.warn("graphql", { details: args.map(String) }),
  error: (...args: unknown[]) => (args[0] instanceof Error && args[0].name === "GraphQLError" ? log.debug : log.error)("graphql", { details: args.map(String) }),
};

/** Every mutation, whatever its fields: one with a session from another site's page is refused. */
const sameSiteMutations: Plugin<InnerContext> = {
  onExecute({ args }) {
    if (getOperationAST(args.document, args.operationName)?.operation === "mutation") refuseCrossSiteChange(args.contextValue);
  },
};

/**
 * The GraphQL server over an app context (its dependencies, once per process), answering at
 * /api/graphql: each request's context is the same as a tRPC call's (who calls, from where,
 * cross-site or not). No CORS: a browser on another site must not read a signed-in user's data
 * with their cookie. The explorer (GraphiQL, bundled: no CDN) only outside production.
 */
export function createGraphQLServer(app: () => Promise<AppContext>): YogaServerInstance<Record<string, never>, InnerContext> {
  return createYoga<Record<string, never>, InnerContext>({
    schema,
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    cors: false,
    landingPage: false,
    graphiql: isProduction ? false : { title: "Flight Tracker GraphQL", defaultQuery: EXAMPLE_QUERY },
    renderGraphiQL,
    logging: yogaLogger,
    maskedErrors: { maskError: (error) => maskError(error) },
    fetchAPI: { Response },
    context: async ({ request }) => {
      try {
        return await requestContextFrom(await app(), request.headers);
      } catch (error) {
        // No context, no data at all: the status says why (401 for a bad key, 503 without a database).
        throw toGraphQLError(error, { http: true });
      }
    },
    plugins: [
      sameSiteMutations,
      EnvelopArmorPlugin({
        costLimit: { enabled: false },
        maxDepth: { n: GRAPHQL_LIMITS.depth, ignoreIntrospection: true, flattenFragments: true },
        maxAliases: { n: GRAPHQL_LIMITS.aliases },
        maxDirectives: { n: GRAPHQL_LIMITS.directives },
        maxTokens: { n: GRAPHQL_LIMITS.tokens },
        blockFieldSuggestion: { enabled: isProduction },
      }),
    ],
  });
}

const EXAMPLE_QUERY = `# Flight Tracker's GraphQL API. Prices of the simulated market say simulated: true.
query Flights {
  flights(originCode: "LHR", destinationCode: "JFK", departureDate: "${new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)}", first: 5) {
    totalCount
    lastUpdated
    providers { provider status offerCount }
    insight { level typicalLow { amount currency } typicalHigh { amount currency } }
    edges {
      cursor
      node { id airlineName flightNumber departureTime arrivalTime duration stops price { amount currency } simulated }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;
