import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import postgres from "postgres";
import superjson from "superjson";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import {
  DomainError,
  ERROR_CODES,
  InternalError,
  MethodNotAllowedError,
  PayloadTooLargeError,
  ForbiddenError,
  LimitReachedError,
  NotFoundError,
  UnauthenticatedError,
  RateLimitedError,
  ServiceUnavailableError,
  ValidationError,
  type ErrorCode,
} from "@/server/core/errors";
import { ERROR_TABLE, toDomainError } from "@/server/errors";
import { problemFor } from "@/server/http/problem";
import { pageData, pageProblem } from "@/server/page-data";
import { createTRPCRouter, publicProcedure, toTRPCError, type InnerContext } from "@/server/trpc/init";
import { toGraphQLError } from "@/server/graphql/errors";
import { schemaErrors } from "@/test/openapi";

/** One error of each kind: a code added to ERROR_CODES without one here fails to compile. */
const representative: Record<ErrorCode, () => DomainError> = {
  invalid_input: () => ValidationError.of("departureDate", "must not be in the past"),
  unauthenticated: () => new UnauthenticatedError(),
  forbidden: () => new ForbiddenError("Only admins may do this."),
  not_found: () => new NotFoundError("LHR-QQQ is not a route"),
  method_not_allowed: () => new MethodNotAllowedError("POST", ["GET", "HEAD", "OPTIONS"]),
  payload_too_large: () => new PayloadTooLargeError("A GraphQL request body may be at most 65536 bytes."),
  limit_reached: () => new LimitReachedError("You track 50 routes, the most an account may."),
  rate_limited: () => new RateLimitedError(12),
  unavailable: () => new ServiceUnavailableError("The database cannot be reached; see /api/health."),
  internal: () => new InternalError({ cause: new Error("secret internals") }),
};

/** What postgres.js throws when nothing listens: a real connection error, not a made-up one. */
async function connectionError(): Promise<unknown> {
  const sql = postgres("postgres://nobody@127.0.0.1:1/none", { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
    throw new Error("connected to a port where nothing listens");
  } catch (error) {
    return error;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the error table", () => {
  it("says what each kind of error is on the wire", () => {
    const statuses = Object.fromEntries(ERROR_CODES.map((code) => [code, [ERROR_TABLE[code].http, ERROR_TABLE[code].trpc, ERROR_TABLE[code].graphql]]));
    expect(statuses).toEqual({
      invalid_input: [400, "BAD_REQUEST", "BAD_USER_INPUT"],
      unauthenticated: [401, "UNAUTHORIZED", "UNAUTHENTICATED"],
      forbidden: [403, "FORBIDDEN", "FORBIDDEN"],
      not_found: [404, "NOT_FOUND", "NOT_FOUND"],
      method_not_allowed: [405, "METHOD_NOT_SUPPORTED", "METHOD_NOT_ALLOWED"],
      payload_too_large: [413, "PAYLOAD_TOO_LARGE", "PAYLOAD_TOO_LARGE"],
      limit_reached: [409, "CONFLICT", "LIMIT_REACHED"],
      rate_limited: [429, "TOO_MANY_REQUESTS", "RATE_LIMITED"],
      unavailable: [503, "SERVICE_UNAVAILABLE", "SERVICE_UNAVAILABLE"],
      internal: [500, "INTERNAL_SERVER_ERROR", "INTERNAL_SERVER_ERROR"],
    });
  });

  it.each(ERROR_CODES.map((code) => [code]))("gives %s the same meaning on every transport", async (code) => {
    const row = ERROR_TABLE[code];
    const error = representative[code]();
    expect(error.code).toBe(code);
    vi.spyOn(console, "error").mockImplementation(() => {});

    const response = problemFor(error);
    expect(response.status).toBe(row.http);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = await response.json();
    expect(body).toMatchObject({ status: row.http, title: row.title });
    expect(schemaErrors("Problem", body)).toEqual([]);

    const trpc = toTRPCError(error);
    expect(trpc.code).toBe(row.trpc);
    expect(trpc.cause).toBe(error);
    expect(pageProblem(trpc).status).toBe(row.http);

    const graphql = toGraphQLError(error);
    expect(graphql.extensions.code).toBe(row.graphql);
    expect(graphql.message).toBe(code === "internal" ? new InternalError().message : code === "invalid_input" ? "The request has invalid fields. departureDate: must not be in the past." : error.message);
  });

  it("answers bad input with a message per field, limits and outages with Retry-After, and hides internals", async () => {
    const invalid = await problemFor(new ValidationError({ days: ["must be at least 1"], limit: ["must be a whole number"] })).json();
    expect(invalid).toMatchObject({ detail: "Check the fields days, limit.", errors: { days: ["must be at least 1"], limit: ["must be a whole number"] } });
    expect(problemFor(new RateLimitedError(12)).headers.get("retry-after")).toBe("12");
    expect(problemFor(new ServiceUnavailableError("down")).headers.get("retry-after")).toBe("30");
    expect(problemFor(new NotFoundError("gone")).headers.get("retry-after")).toBeNull();
    expect(problemFor(new MethodNotAllowedError("DELETE", ["GET", "HEAD", "OPTIONS"])).headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const internal = problemFor(new Error("secret internals"), "flight search");
    expect(internal.status).toBe(500);
    expect(await internal.text()).not.toContain("secret");
    expect(logged).toHaveBeenCalledOnce();
    expect(String(logged.mock.calls[0]![0])).toMatch(/"msg":"flight search failed".*secret internals/);
  });
});

describe("toDomainError", () => {
  it("passes ours through, and classifies zod errors, unreachable databases and the rest", async () => {
    const ours = new NotFoundError("x");
    expect(toDomainError(ours)).toBe(ours);

    const parsed = z.object({ adults: z.int().min(1, "must be at least 1") }).safeParse({ adults: 0 });
    const zod = toDomainError(parsed.error);
    expect(zod).toBeInstanceOf(ValidationError);
    expect((zod as ValidationError).fields).toEqual({ adults: ["must be at least 1"] });

    const refused = await connectionError();
    expect(toDomainError(refused).code).toBe("unavailable");
    expect(toDomainError(new Error("Failed query: SELECT 1", { cause: refused })).code).toBe("unavailable");

    vi.spyOn(console, "error").mockImplementation(() => {});
    const unknown = toDomainError(new TypeError("x is undefined"));
    expect(unknown.code).toBe("internal");
    expect(unknown.message).not.toMatch(/undefined/);
  });
});

describe("tRPC errors, over HTTP", () => {
  const router = createTRPCRouter({
    ...Object.fromEntries(
      ERROR_CODES.map((code) => [
        code,
        publicProcedure.query(() => {
          throw representative[code]();
        }),
      ]),
    ),
    typed: publicProcedure.input(z.object({ adults: z.int().min(1, "must be at least 1") })).query(() => "ok"),
  });
  const call = async (path: string, input?: unknown) => {
    const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request(`http://localhost/api/trpc/${path}${query}`),
      router,
      // These procedures read nothing of the context.
      createContext: async () => ({}) as InnerContext,
    });
    return { status: response.status, error: (await response.json()).error.json };
  };

  it.each(ERROR_CODES.map((code) => [code]))("answers %s with the table's status and the client's fields", async (code) => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const { status, error } = await call(code);
    expect(status).toBe(ERROR_TABLE[code].http);
    expect(error.data.code).toBe(ERROR_TABLE[code].trpc);
    expect(error.data.fieldErrors).toEqual(code === "invalid_input" ? { departureDate: ["must not be in the past"] } : null);
    expect(error.data.retryAfterSeconds).toBe(code === "rate_limited" ? 12 : null);
    if (code === "internal") expect(error.message).toBe(new InternalError().message);
  });

  it("gives input refused by the procedure's schema a message per field too", async () => {
    const { status, error } = await call("typed", { adults: 0 });
    expect(status).toBe(400);
    expect(error.data.fieldErrors).toEqual({ adults: ["must be at least 1"] });
    expect(error.data.zodError).toBeTruthy();
  });
});

describe("pageData", () => {
  it("gives the data, the not-found page, bad input per field, or throws", async () => {
    expect(await pageData(async () => 42)).toEqual({ ok: true, data: 42 });
    await expect(pageData(() => Promise.reject(new NotFoundError("x")))).rejects.toMatchObject({ digest: expect.stringMatching(/NEXT_HTTP_ERROR_FALLBACK;404/) });
    const wrapped = toTRPCError(ValidationError.of("date", "is not a real calendar date"));
    expect(wrapped).toBeInstanceOf(TRPCError);
    expect(await pageData(() => Promise.reject(wrapped))).toEqual({ ok: false, errors: { date: ["is not a real calendar date"] } });
    const outage = new ServiceUnavailableError("down");
    await expect(pageData(() => Promise.reject(outage))).rejects.toBe(outage);
  });
});
