import { ValidationError, type FieldErrors } from "@/server/core/errors";
import { ERROR_TABLE, errorHeaders, toDomainError } from "@/server/errors";

/** RFC 9457 problem details, with `errors` holding a list of messages per field. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldErrors;
}

function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store", ...headers },
  });
}

/**
 * Any error as a problem-details answer, status and title from the error table: a message per
 * field for bad input, Retry-After or Allow where the error has one, and nothing of an internal error
 * but that it was logged (as `what` failed).
 */
export function problemFor(error: unknown, what?: string): Response {
  const domain = toDomainError(error, what);
  const kind = ERROR_TABLE[domain.code];
  const fields = domain instanceof ValidationError ? Object.keys(domain.fields) : null;
  return problemResponse(
    {
      title: kind.title,
      status: kind.http,
      detail: fields ? `Check ${fields.length === 1 ? "the field" : "the fields"} ${fields.join(", ")}.` : domain.message,
      ...(domain instanceof ValidationError ? { errors: domain.fields } : {}),
    },
    errorHeaders(domain),
  );
}

/** Bad input, as problemFor answers it. */
export function validationProblem(errors: FieldErrors): Response {
  return problemFor(new ValidationError(errors));
}
