import type { FieldErrors } from "@/server/core/errors";

/** RFC 9457 problem details, with `errors` holding a list of messages per field. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldErrors;
}

export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store", ...headers },
  });
}

export function validationProblem(errors: FieldErrors): Response {
  const fields = Object.keys(errors);
  return problemResponse({
    title: "Invalid request",
    status: 400,
    detail: `Check ${fields.length === 1 ? "the field" : "the fields"} ${fields.join(", ")}.`,
    errors,
  });
}

export function rateLimitedProblem(retryAfterSeconds: number): Response {
  return problemResponse(
    { title: "Too many requests", status: 429, detail: `Too many searches from this address: try again in ${retryAfterSeconds} s.` },
    { "Retry-After": String(retryAfterSeconds) },
  );
}

export function unavailableProblem(detail: string): Response {
  return problemResponse({ title: "Service unavailable", status: 503, detail }, { "Retry-After": "30" });
}

export function internalProblem(): Response {
  return problemResponse({ title: "Internal error", status: 500, detail: "Something went wrong on our side; it has been logged." });
}
