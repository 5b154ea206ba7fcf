import "server-only";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { cache, type ReactNode } from "react";
import { ValidationError, type FieldErrors } from "@/server/core/errors";
import { ERROR_TABLE, toDomainError } from "@/server/errors";
import type { ProviderProgress } from "@/server/services/search/search-flights";
import { createTRPCContext } from "@/server/trpc/init";
import { makeQueryClient } from "@/server/trpc/query-client";
import { appRouter } from "@/server/trpc/root";

/**
 * Server components call procedures in process (never over HTTP to our own API) through this
 * proxy, with one query client and one context per request, then hand the queries to the
 * browser with <HydrateClient>.
 */
export const getQueryClient = cache(makeQueryClient);

/** Where this request's search reports each provider's answer (one search per page). */
export const getProgressSink = cache(() => ({ listener: null as ((progress: ProviderProgress) => void) | null }));

const createContext = cache(async () => {
  const context = await createTRPCContext({ headers: await headers() });
  const sink = getProgressSink();
  return { ...context, onSearchProgress: (progress: ProviderProgress) => sink.listener?.(progress) };
});

export const trpc = createTRPCOptionsProxy({ ctx: createContext, router: appRouter, queryClient: getQueryClient });

export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}

/** What an error means to a page, by the error table: its HTTP status, and for bad input the messages per field. */
export function pageProblem(error: unknown): { status: number; errors: FieldErrors | null } {
  // tRPC wraps what a procedure threw; the domain error is its cause.
  const domain = toDomainError((error as { cause?: unknown }).cause ?? error, "page");
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
