import { z } from "zod";
import { AUDIT_ACTIONS } from "@/db/queries/audit";
import { ROLES } from "@/server/core/roles";
import { iataCode } from "@/server/core/search-query";

// The admin console's inputs, as tRPC and REST take them (server/trpc/routers/admin.ts, server/http/admin-endpoint.ts).

/** A run's state as the console filters it: `dead` is a job whose every attempt failed. */
export const RUN_STATES = ["running", "succeeded", "failed", "dead"] as const;
export type RunState = (typeof RUN_STATES)[number];

const cursor = z.string().max(200, "is not a cursor this list gave out").optional();
const limit = z.coerce.number().int().min(1, "must be at least 1").max(200, "must be at most 200").optional();
const INSTANT_MESSAGE = "must be a date and time such as 2026-11-23T10:00:00Z";
// Years 1 to 9999: JavaScript takes ±275,760 but writes those "+200000-01-01T...", which PostgreSQL refuses (a 500).
const instant = z.coerce
  .date({ error: INSTANT_MESSAGE })
  .min(new Date("0001-01-01T00:00:00Z"), INSTANT_MESSAGE)
  .max(new Date("9999-12-31T23:59:59.999Z"), INSTANT_MESSAGE)
  .optional();
const reason = z.string().trim().max(200, "must be at most 200 characters").optional();

export const FAILURE_KINDS = ["error", "timeout", "circuit_open", "write"] as const;
export const PROVIDER_OUTCOMES = ["ok", "failed", "error", "timeout", "circuit_open"] as const;
export const providerId = z.string().regex(/^[a-z0-9-]{1,40}$/, "must be a provider id such as skyway");

export const runsInput = z
  .object({
    state: z.enum(RUN_STATES).optional(),
    provider: providerId.optional(),
    providerStatus: z.enum(PROVIDER_OUTCOMES).optional(),
    origin: iataCode.optional(),
    destination: iataCode.optional(),
    from: instant,
    to: instant,
    cursor,
    limit,
  })
  .strict()
  .refine((v) => !v.providerStatus || v.provider, { path: ["providerStatus"], message: "needs a provider" })
  .refine((v) => !v.from || !v.to || v.from < v.to, { path: ["to"], message: "must be after from" });
export type RunsInput = z.infer<typeof runsInput>;

export const runIdInput = z.object({ id: z.coerce.number().int("must be a run's id").positive("must be a run's id") }).strict();

export const failuresInput = z
  .object({ hours: z.coerce.number().int().min(1).max(168, "must be at most 168 (a week)").optional(), provider: z.string().max(40).optional(), kind: z.enum(FAILURE_KINDS).optional() })
  .strict();

/** Dead-lettered runs to act on: by id, or a whole group of the failures page. */
export const deadSelectionInput = z.union([
  z.object({ runIds: z.array(z.number().int().positive()).min(1, "choose at least one run").max(1_000, "at most 1,000 at a time") }).strict(),
  z.object({ group: z.object({ provider: z.string().min(1).max(40), kind: z.enum(FAILURE_KINDS) }).strict() }).strict(),
]);

export const setPausedInput = z.object({ paused: z.boolean(), reason }).strict();
export const providerPauseInput = z.object({ provider: providerId, paused: z.boolean(), reason }).strict();

export const freshnessInput = z.object({ overdueOnly: z.boolean().optional(), cursor, limit }).strict();
export const refreshInput = z.object({ queryIds: z.array(z.number().int().positive()).min(1, "choose at least one query").max(100, "at most 100 at a time") }).strict();

export const deliveryIdInput = z.object({ deliveryId: z.uuid("must be a delivery's id") }).strict();

export const usersInput = z.object({ query: z.string().trim().max(200).optional(), role: z.enum(ROLES).optional(), cursor, limit }).strict();
export const userRoleInput = z.object({ userId: z.uuid("must be a user's id"), role: z.enum(ROLES) }).strict();
export const userDisabledInput = z.object({ userId: z.uuid("must be a user's id"), disabled: z.boolean() }).strict();

export const auditInput = z
  .object({ action: z.enum(AUDIT_ACTIONS).optional(), user: z.string().trim().max(320).optional(), from: instant, to: instant, cursor, limit })
  .strict();
