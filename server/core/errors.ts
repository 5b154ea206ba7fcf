/**
 * Domain errors. Each carries a `code` saying what kind of failure it is, whatever the
 * transport; server/errors.ts maps every code to its HTTP status, tRPC code and GraphQL code in
 * one table, and nothing else decides a status. A new kind of error is a class here and a row
 * there.
 */

export const ERROR_CODES = ["invalid_input", "unauthenticated", "forbidden", "not_found", "method_not_allowed", "payload_too_large", "limit_reached", "rate_limited", "unavailable", "internal"] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Messages per input field: { departureDate: ["must not be in the past"] }. */
export type FieldErrors = Record<string, string[]>;

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
}

/** Input that is wrong: a message per field; nothing is written. */
export class ValidationError extends DomainError {
  readonly code = "invalid_input";

  constructor(
    readonly fields: FieldErrors,
    message = "The request has invalid fields.",
  ) {
    super(message);
    this.name = "ValidationError";
  }

  static of(field: string, message: string): ValidationError {
    return new ValidationError({ [field]: [message] });
  }
}

/** No identity, or one that is not (or no longer) valid: sign in, or send a valid API key. */
export class UnauthenticatedError extends DomainError {
  readonly code = "unauthenticated";

  constructor(message = "Sign in, or send an API key as Authorization: Bearer <key>.") {
    super(message);
    this.name = "UnauthenticatedError";
  }
}

/** An identity that may not do this: a user at an admin's door, a key without the scope. */
export class ForbiddenError extends DomainError {
  readonly code = "forbidden";

  constructor(message: string) {
    super(message);
    this.name = "ForbiddenError";
  }
}

export class NotFoundError extends DomainError {
  readonly code = "not_found";

  constructor(message: string) {
    super(message);
    this.name = "NotFoundError";
  }
}

/** The resource exists but does not answer this method; `allow` lists those it does. */
export class MethodNotAllowedError extends DomainError {
  readonly code = "method_not_allowed";

  constructor(
    method: string,
    readonly allow: string[],
  ) {
    super(`${method} is not allowed here: use ${allow.join(" or ")}.`);
    this.name = "MethodNotAllowedError";
  }
}

/** The account holds as many of something as it may (tracked routes): remove one first. */
export class LimitReachedError extends DomainError {
  readonly code = "limit_reached";

  constructor(message: string) {
    super(message);
    this.name = "LimitReachedError";
  }
}

/** Too many requests: retry after this many seconds. */
export class RateLimitedError extends DomainError {
  readonly code = "rate_limited";

  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests: try again in ${retryAfterSeconds} s.`);
    this.name = "RateLimitedError";
  }
}

/** A request body bigger than the endpoint takes; refused before it is read. */
export class PayloadTooLargeError extends DomainError {
  readonly code = "payload_too_large";

  constructor(message: string) {
    super(message);
    this.name = "PayloadTooLargeError";
  }
}

/** A dependency the answer needs (the database) cannot be reached right now. */
export class ServiceUnavailableError extends DomainError {
  readonly code = "unavailable";

  constructor(
    message: string,
    options?: { cause?: unknown },
    readonly retryAfterSeconds = 30,
  ) {
    super(message, options);
    this.name = "ServiceUnavailableError";
  }
}

/** Something failed on our side; its details are logged, never shown. */
export class InternalError extends DomainError {
  readonly code = "internal";

  constructor(options?: { cause?: unknown }) {
    super("Something went wrong on our side; it has been logged.", options);
    this.name = "InternalError";
  }
}
