import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { ValidationError, type FieldErrors } from "@/server/core/errors";
import { ERROR_TABLE, toDomainError } from "@/server/errors";

// How server components turn errors into pages, by the error table (server/errors.ts).

/** What an error means to a page, by the error table: its HTTP status, and for bad input the messages per field. */
export function pageProblem(error: unknown): { status: number; errors: FieldErrors | null } {
  // tRPC wraps what a procedure threw; the domain error is its cause.
  const domain = toDomainError(error instanceof TRPCError ? (error.cause ?? error) : error, "page");
  return { status: ERROR_TABLE[domain.code].http, errors: domain instanceof ValidationError ? domain.fields : null };
}

export type PageData<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/**
 * A page's reads: the data; or, for an error that is a 404, the not-found page; for bad input,
 * the messages per field, for the page's own view of it. Anything else goes to the error page.
 */
export async function pageData<T>(read: () => Promise<T>): Promise<PageData<T>> {
  try {
    return { ok: true, data: await read() };
  } catch (error) {
    const problem = pageProblem(error);
    if (problem.status === 404) notFound();
    if (problem.errors) return { ok: false, errors: problem.errors };
    throw error;
  }
}
