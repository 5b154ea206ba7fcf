import { GraphQLError } from "graphql";
import { RateLimitedError, ValidationError } from "@/server/core/errors";
import { ERROR_TABLE, toDomainError } from "@/server/errors";

/**
 * Any error of a resolver as the GraphQL error clients see, its `extensions.code` from the one
 * error table: bad input is BAD_USER_INPUT with a message per field (`extensions.fields`), a
 * refused key FORBIDDEN, too many requests RATE_LIMITED with `retryAfterSeconds`; anything
 * unexpected is logged and says nothing of itself (INTERNAL_SERVER_ERROR).
 * `http` sets the status of an answer that has no data at all (the context could not be built).
 */
export function toGraphQLError(error: unknown, options: { http?: boolean; from?: GraphQLError } = {}): GraphQLError {
  const domain = toDomainError(error, "graphql operation");
  const kind = ERROR_TABLE[domain.code];
  // Many clients show only the message: it names each field and what is wrong with it.
  const message = domain instanceof ValidationError ? `${domain.message} ${Object.entries(domain.fields).map(([field, problems]) => `${field}: ${problems.join("; ")}.`).join(" ")}` : domain.message;
  return new GraphQLError(message, {
    nodes: options.from?.nodes,
    path: options.from?.path,
    source: options.from?.source,
    positions: options.from?.positions,
    extensions: {
      code: kind.graphql,
      ...(domain instanceof ValidationError ? { fields: domain.fields } : {}),
      ...(domain instanceof RateLimitedError ? { retryAfterSeconds: domain.retryAfterSeconds } : {}),
      ...(options.http ? { http: { status: kind.http } } : {}),
    },
  });
}

/**
 * A GraphQL error by its name, not `instanceof`: graphql's CommonJS and ES module builds can both
 * be loaded (Yoga's and ours), and each has its own class.
 */
function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === "GraphQLError";
}

/**
 * Yoga's error mask: errors GraphQL itself made (syntax, validation, variable types) and the ones
 * we made as GraphQL errors pass as they are; the rest go through the error table.
 */
export function maskError(error: unknown): Error {
  if (!isGraphQLError(error)) return toGraphQLError(error);
  const original = error.originalError;
  // GraphQL's own (syntax, validation, a variable's value) name what was wrong already; the
  // query limits' (graphql-armor) are request errors too: a 400 like a validation error.
  if (!original && !error.path && !error.extensions?.http) return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code: "BAD_REQUEST", http: { status: 400 } } });
  if (!original || (isGraphQLError(original) && !error.path)) return error;
  if (isGraphQLError(original)) return original.extensions?.code ? withLocation(original, error) : error;
  return toGraphQLError(original, { from: error });
}

/** A GraphQL error thrown in a resolver, with the path and locations of the field it failed. */
function withLocation(original: GraphQLError, located: GraphQLError): GraphQLError {
  if (original.path) return original;
  return new GraphQLError(original.message, { nodes: located.nodes, path: located.path, source: located.source, positions: located.positions, extensions: original.extensions });
}
