import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { ZodError } from "zod";
import { isConnectionError } from "@/db/client";
import { DomainError, InternalError, MethodNotAllowedError, ServiceUnavailableError, UnauthenticatedError, ValidationError, type ErrorCode } from "@/server/core/errors";
import { fieldErrorsFromZod } from "@/server/core/search-query";
import { log } from "@/server/log";

interface ErrorKind {
  http: number;
  trpc: TRPC_ERROR_CODE_KEY;
  /** The `extensions.code` of a GraphQL error. */
  graphql: string;
  /** The problem-details title of the REST answer. */
  title: string;
}

/**
 * Every kind of domain error and what it becomes on each transport: the one place that decides
 * a status. The REST problem writer, the tRPC error mapper and the pages all read it.
 */
export const ERROR_TABLE: Record<ErrorCode, ErrorKind> = {
  invalid_input: { http: 400, trpc: "BAD_REQUEST", graphql: "BAD_USER_INPUT", title: "Invalid request" },
  unauthenticated: { http: 401, trpc: "UNAUTHORIZED", graphql: "UNAUTHENTICATED", title: "Not signed in" },
  forbidden: { http: 403, trpc: "FORBIDDEN", graphql: "FORBIDDEN", title: "Forbidden" },
  not_found: { http: 404, trpc: "NOT_FOUND", graphql: "NOT_FOUND", title: "Not found" },
  method_not_allowed: { http: 405, trpc: "METHOD_NOT_SUPPORTED", graphql: "METHOD_NOT_ALLOWED", title: "Method not allowed" },
  payload_too_large: { http: 413, trpc: "PAYLOAD_TOO_LARGE", graphql: "PAYLOAD_TOO_LARGE", title: "Request too large" },
  limit_reached: { http: 409, trpc: "CONFLICT", graphql: "LIMIT_REACHED", title: "Limit reached" },
  rate_limited: { http: 429, trpc: "TOO_MANY_REQUESTS", graphql: "RATE_LIMITED", title: "Too many requests" },
  unavailable: { http: 503, trpc: "SERVICE_UNAVAILABLE", graphql: "SERVICE_UNAVAILABLE", title: "Service unavailable" },
  internal: { http: 500, trpc: "INTERNAL_SERVER_ERROR", graphql: "INTERNAL_SERVER_ERROR", title: "Internal error" },
};

/**
 * Any error as a domain error. Ours pass through; bad input caught by a zod schema is
 * `invalid_input`; a database that cannot be reached is `unavailable`; anything else is
 * logged (with `what` failed) and becomes an `internal` error that says nothing of it.
 */
export function toDomainError(error: unknown, what = "request"): DomainError {
  if (error instanceof DomainError) return error;
  if (error instanceof ZodError) return new ValidationError(fieldErrorsFromZod(error));
  if (isConnectionError(error)) return new ServiceUnavailableError("The database cannot be reached; see /api/health.", { cause: error });
  log.error(`${what} failed`, { err: error });
  return new InternalError({ cause: error });
}

/** Seconds to wait before retrying, for the errors that have one. */
export function retryAfter(error: DomainError): number | null {
  return "retryAfterSeconds" in error && typeof error.retryAfterSeconds === "number" ? error.retryAfterSeconds : null;
}

/** The HTTP headers an error's answer carries: when to retry, which methods to use. */
export function errorHeaders(error: DomainError): Record<string, string> {
  const seconds = retryAfter(error);
  return {
    ...(seconds === null ? {} : { "Retry-After": String(seconds) }),
    ...(error instanceof MethodNotAllowedError ? { Allow: error.allow.join(", ") } : {}),
    // RFC 9110: a 401 says how to authenticate.
    ...(error instanceof UnauthenticatedError ? { "WWW-Authenticate": 'Bearer realm="flight-tracker"' } : {}),
  };
}
