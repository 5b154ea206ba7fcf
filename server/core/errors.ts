/** Messages per input field: { departureDate: ["must not be in the past"] }. */
export type FieldErrors = Record<string, string[]>;

/** Input that is wrong: HTTP 400 with a message per field; nothing is written. */
export class ValidationError extends Error {
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

export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotFoundError";
  }
}

/** Too many requests: HTTP 429 with Retry-After. */
export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests: try again in ${retryAfterSeconds} s.`);
    this.name = "RateLimitedError";
  }
}
