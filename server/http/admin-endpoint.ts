import { z } from "zod";
import { principalFrom, requireAdminAccess, requirePrincipal } from "@/server/auth/principal";
import { providerId, providerPauseInput, runIdInput, runsInput } from "@/server/core/admin-input";
import { ValidationError } from "@/server/core/errors";
import { fieldErrorsFromZod } from "@/server/core/search-query";
import type { AppContext } from "@/server/context";
import { discardDead, listRuns, retryDead, runDetail } from "@/server/services/admin/ingestion";
import { adminOverview } from "@/server/services/admin/overview";
import { providerHealth, setProviderPause } from "@/server/services/admin/providers";
import { refuseCrossSite } from "./api-keys-endpoint";
import { jsonBody, NO_STORE } from "./owner-endpoint";
import { singleParams } from "./params";
import { problemFor } from "./problem";

/**
 * REST /api/v1/admin/...: the admin console's overview, ingestion runs (the design's
 * `GET /api/v1/admin/ingestions`: runs with their status) and providers, for admins only: a
 * signed-in admin, or an admin's API key with the `admin` scope (requireAdminAccess: the role is
 * read on every request, so a demoted admin's key is refused at once). A user gets 403, anonymous
 * 401. The same services as tRPC admin.*, so every change is audited the same way.
 */

/** POST /api/v1/admin/providers/{id}/pause's body: the reason, as tRPC's setProviderPaused takes it. */
export const providerPauseBody = z.object({ reason: providerPauseInput.shape.reason.meta({ description: "Why, for the audit log and the other admins (at most 200 characters)." }) }).strict();

/** A run's id in a path: digits only (Number() would take "0x1f" or "1e3"); runIdInput checks the rest. */
const RUN_ID = /^[1-9]\d{0,15}$/;
const RUN_ID_MESSAGE = "must be a run's id";

function runId(text: string): number {
  if (!RUN_ID.test(text)) throw ValidationError.of("id", RUN_ID_MESSAGE);
  return runIdInput.parse({ id: text }).id;
}

const providerIdSchema = z.object({ id: providerId });
const providerOf = (text: string) => providerIdSchema.parse({ id: text }).id;

/** GET /api/v1/admin/ingestions' query: runsInput's fields, each given once. */
function runsQueryOf(request: Request) {
  const { values, errors } = singleParams(new URL(request.url).searchParams, Object.keys(runsInput.shape));
  const parsed = runsInput.safeParse(values);
  if (!parsed.success || Object.keys(errors).length > 0) throw new ValidationError({ ...(parsed.success ? {} : fieldErrorsFromZod(parsed.error)), ...errors });
  return parsed.data;
}

const answer = (body: unknown) => Response.json(body, { headers: NO_STORE });

type Handler<A extends unknown[]> = (request: Request, ctx: AppContext, ...rest: A) => Promise<Response>;
interface Call {
  request: Request;
  ctx: AppContext;
  adminId: string;
}

/**
 * A handler for admins; `change`: it writes, so a session's request must come from the app's own
 * pages (a key is sent by programs). Any failure is answered as problem details (logged as `what`
 * when unexpected).
 */
function forAdmins<A extends unknown[]>(kind: "read" | "change", what: string, act: (call: Call, ...rest: A) => Promise<Response>): Handler<A> {
  return async (request, ctx, ...rest) => {
    try {
      const principal = requireAdminAccess(requirePrincipal(await principalFrom(ctx.db, request.headers, ctx.clock())));
      if (kind === "change" && principal.via === "session") refuseCrossSite(request);
      return await act({ request, ctx, adminId: principal.userId }, ...rest);
    } catch (error) {
      return problemFor(error, what);
    }
  };
}

/** GET /api/v1/admin/overview: queues, runs, snapshots per hour, scheduler lag, providers, the oldest overdue query, deliveries. */
export const handleAdminOverview = forAdmins("read", "admin overview", async ({ ctx }) => answer(await adminOverview(ctx)));

/** GET /api/v1/admin/ingestions: runs newest first, filtered, a page at a time (follow nextCursor). */
export const handleListIngestions = forAdmins("read", "ingestion run list", async ({ request, ctx }) => {
  const page = await listRuns(ctx, runsQueryOf(request));
  return answer({ ingestions: page.items, nextCursor: page.nextCursor });
});

/** GET /api/v1/admin/ingestions/{id}: the run, every attempt of its job, its payload, and the runs of a retry. */
export const handleGetIngestion = forAdmins("read", "ingestion run", async ({ ctx }, id: string) => answer(await runDetail(ctx, runId(id))));

/** POST /api/v1/admin/ingestions/{id}/retry: runs a dead-lettered job again (once, however often asked). */
export const handleRetryIngestion = forAdmins("change", "ingestion retry", async ({ ctx, adminId }, id: string) => answer(await retryDead(ctx, adminId, { runIds: [runId(id)] })));

/** POST /api/v1/admin/ingestions/{id}/discard: gives up on a dead-lettered job. */
export const handleDiscardIngestion = forAdmins("change", "ingestion discard", async ({ ctx, adminId }, id: string) => answer(await discardDead(ctx, adminId, { runIds: [runId(id)] })));

/** GET /api/v1/admin/providers: each enabled provider's controls, recorded calls over the last hour and day, and latest errors. */
export const handleListProviders = forAdmins("read", "provider health", async ({ ctx }) => answer({ providers: await providerHealth(ctx) }));

/** Answers with the provider's controls as they are now. */
async function pauseOrResume(ctx: AppContext, adminId: string, provider: string, paused: boolean, reason?: string): Promise<Response> {
  const controls = await setProviderPause(ctx, adminId, { provider, paused, ...(reason ? { reason } : {}) });
  return answer({ provider: controls.find((p) => p.id === provider) });
}

/** POST /api/v1/admin/providers/{id}/pause: no live search or scheduled run calls it, on any instance, until resumed. */
export const handlePauseProvider = forAdmins("change", "pausing a provider", async ({ request, ctx, adminId }, id: string) => {
  const provider = providerOf(id);
  const { reason } = providerPauseBody.parse(await jsonBody(request, '{"reason": "maintenance at the provider"}', { optional: true }));
  return pauseOrResume(ctx, adminId, provider, true, reason);
});

/** POST /api/v1/admin/providers/{id}/resume */
export const handleResumeProvider = forAdmins("change", "resuming a provider", async ({ ctx, adminId }, id: string) => pauseOrResume(ctx, adminId, providerOf(id), false));
