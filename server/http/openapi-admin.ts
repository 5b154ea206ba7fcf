import { z } from "zod";
import { PROVIDER_OUTCOMES, RUN_STATES, runsInput } from "@/server/core/admin-input";
import { CABINS } from "@/server/core/offer";
import { providerPauseBody } from "./admin-endpoint";
import { problem, type Json } from "./openapi-parts";

/** The admin console's part of the OpenAPI document (server/http/openapi.ts puts it together). */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const arrayOf = (item: Json, description?: string) => ({ type: "array", items: item, ...(description ? { description } : {}) });
const object = (properties: Record<string, Json>, description?: string) => ({
  type: "object",
  required: Object.keys(properties),
  properties,
  ...(description ? { description } : {}),
});
const nullable = (schema: Json) => ({ oneOf: [schema, { type: "null" }] });

const integer = { type: "integer" };
const nullableInteger = { type: ["integer", "null"] };
const text = { type: "string" };
const nullableText = { type: ["string", "null"] };
const dateTime = { type: "string", format: "date-time" };
const nullableDateTime = { type: ["string", "null"], format: "date-time" };
const date = { type: "string", format: "date" };
const nullableDate = { type: ["string", "null"], format: "date" };
const cabin = { type: "string", enum: [...CABINS] };

/** Call statistics of a provider over a span, from provider_call (every instance's live searches and scheduled runs). */
const callStats = {
  calls: { type: "integer", description: "Calls made, and those the circuit breaker skipped." },
  errors: integer,
  timeouts: integer,
  circuitOpen: { type: "integer", description: "Skipped because the circuit was open." },
  errorRate: { type: "number", minimum: 0, maximum: 1, description: "Errors and timeouts over calls made (skips are not calls)." },
  p50Ms: { type: ["integer", "null"], description: "Median latency; null without calls." },
  p95Ms: nullableInteger,
};

const providerControl = {
  id: { type: "string", description: "The provider's id, as paths and filters name it.", examples: ["skyway"] },
  name: text,
  simulated: { type: "boolean", description: "The built-in simulated market: not real fares." },
  breaker: { type: "string", enum: ["closed", "open", "half_open"], description: "The circuit breaker of the instance that answered." },
  paused: { ...nullable(ref("ProviderPause")), description: "Paused by an admin (on every instance), or null." },
};

const runCounts = object({
  started: integer,
  succeeded: integer,
  failed: integer,
  retried: { type: "integer", description: "Attempts after the first (the queue retried a failure)." },
  deadLettered: { type: "integer", description: "Jobs whose every attempt failed." },
  running: integer,
});

export const ADMIN_SCHEMAS: Record<string, Json> = {
  ProviderPauseRequest: z.toJSONSchema(providerPauseBody, { io: "input", unrepresentable: "any" }) as Json,
  IngestionRun: object(
    {
      id: integer,
      jobId: { type: "string", description: "The queue's job; its attempts share it." },
      attempt: { type: "integer", minimum: 1 },
      status: { type: "string", enum: ["running", "succeeded", "failed"] },
      resolution: {
        type: ["string", "null"],
        enum: ["dead", "retried", "discarded", null],
        description: "On the last attempt of a job that failed every one: dead (dead-lettered, waiting for an admin), then retried or discarded; else null.",
      },
      queryId: { type: "integer", description: "The flight query it refreshed." },
      route: object({ origin: text, destination: text, departureDate: date, returnDate: nullableDate, cabin }),
      startedAt: dateTime,
      finishedAt: nullableDateTime,
      durationMs: nullableInteger,
      dueAt: { ...nullableDateTime, description: "When the query fell due; null for a run not started by the scheduler." },
      lagMs: { type: ["integer", "null"], description: "Start minus due: how late the scheduler and the queue got to it." },
      offers: integer,
      snapshotsWritten: integer,
      providers: arrayOf(
        {
          type: "object",
          required: ["provider", "status", "offers", "latencyMs"],
          properties: {
            provider: text,
            status: { type: "string", description: "ok, error, timeout, circuit_open or paused." },
            offers: integer,
            latencyMs: { type: "number" },
            error: text,
          },
        },
        "How each provider answered.",
      ),
      error: nullableText,
      retryJobId: { type: ["string", "null"], description: "The job an admin's retry queued." },
      demo: { type: "boolean", description: "Written by the demo history, not by a job that ran." },
    },
    "One attempt of one ingestion job, with its status.",
  ),
  IngestionRunPage: {
    type: "object",
    required: ["ingestions", "nextCursor"],
    properties: {
      ingestions: arrayOf(ref("IngestionRun"), "Newest first."),
      nextCursor: { type: ["string", "null"], description: "Pass as cursor for the next page; null on the last." },
    },
  },
  IngestionRunDetail: object({
    run: ref("IngestionRun"),
    attempts: arrayOf(ref("IngestionRun"), "Every attempt of the run's job, oldest first."),
    payload: { type: "object", description: "The job's payload as the queue holds it, else as the run recorded it (the queue drops done jobs after a week)." },
    payloadFromQueue: { type: "boolean" },
    retryRuns: arrayOf(ref("IngestionRun"), "The runs of the job an admin's retry queued (none until a worker takes it)."),
  }),
  DeadLetterActionResult: object({
    resolved: { type: "integer", description: "Dead-lettered runs this call resolved: 0 when the run was not waiting (never dead-lettered, or already retried or discarded)." },
    enqueued: { type: "integer", description: "Ingestion jobs put on the queue (none for a query already waiting there, nor for a discard)." },
    runIds: arrayOf(integer),
  }),
  ProviderPause: object({ pausedAt: dateTime, pausedBy: { type: ["string", "null"], description: "The admin's user id." }, reason: nullableText }),
  CallStats: object(callStats),
  ProviderControl: object(providerControl),
  ProviderControlAnswer: object({ provider: ref("ProviderControl") }),
  ProviderHealth: object({
    ...providerControl,
    hour: { ...ref("CallStats"), description: "The last hour." },
    day: { ...ref("CallStats"), description: "The last 24 hours." },
    hourly: arrayOf({ type: "object", required: ["hour", ...Object.keys(callStats)], properties: { hour: dateTime, ...callStats } }, "Each of the last 24 hours, oldest first; empty when it has made no call in the last day."),
    lastErrors: arrayOf(
      object({ at: dateTime, status: text, error: nullableText, latencyMs: integer, route: { type: "string", examples: ["LHR–JFK 2027-03-01"] } }),
      "Its latest failed calls, newest first.",
    ),
  }),
  ProviderHealthList: object({ providers: arrayOf(ref("ProviderHealth")) }),
  AdminOverview: object({
    generatedAt: dateTime,
    maintenance: { ...nullable(ref("ProviderPause")), description: "The whole scheduler paused by an admin (maintenance), or null." },
    queues: arrayOf(object({ name: text, waiting: integer, retrying: integer, active: integer }), "Jobs not yet done per queue (empty before a worker first ran)."),
    runs: object({ lastHour: runCounts, lastDay: runCounts }),
    snapshotsPerHour: arrayOf(object({ hour: dateTime, snapshots: integer }), "Each of the last 24 hours, oldest first."),
    schedulerLag: {
      ...nullable(object({ runs: integer, p50Ms: integer, p95Ms: integer, maxMs: integer })),
      description: "How late the last hour's first attempts started after falling due; null without any.",
    },
    providers: arrayOf(ref("ProviderHealth"), "Without their last errors (GET /api/v1/admin/providers has them)."),
    oldestOverdue: {
      description: "The tracked query most overdue for a refresh, or null.",
      ...nullable(
        object({
          queryId: integer,
          origin: text,
          destination: text,
          departureDate: date,
          returnDate: nullableDate,
          cabin,
          travellers: integer,
          currency: text,
          routes: { type: "integer", description: "Active tracked routes it refreshes." },
          lastObservedAt: nullableDateTime,
          nextDueAt: dateTime,
          enqueuedAt: nullableDateTime,
          cadenceHours: { type: ["number", "null"] },
          overdueMs: integer,
        }),
      ),
    },
    notifications: object({
      inApp: { type: "integer", description: "In-app notifications written in the last day." },
      channels: arrayOf(object({ kind: text, sent: integer, failed: integer, pending: integer, skipped: integer, digest: integer }), "Deliveries of the last day per channel kind."),
    }),
  }),
};

/** The query parameters of GET /api/v1/admin/ingestions: runsInput's fields (a test checks they match). */
const RUN_PARAMETERS: Record<keyof typeof runsInput.shape, { description: string; schema: Json }> = {
  state: {
    description: "running, succeeded or failed: the run's own status; dead: the last attempt of a job whose every attempt failed (dead-lettered, whether still waiting or since retried or discarded).",
    schema: { type: "string", enum: [...RUN_STATES] },
  },
  provider: { description: "Only runs that asked this provider (its id).", schema: { type: "string", pattern: "^[a-z0-9-]{1,40}$", examples: ["skyway"] } },
  providerStatus: { description: "With provider only: runs where it answered so (failed: anything but ok).", schema: { type: "string", enum: [...PROVIDER_OUTCOMES] } },
  origin: { description: "Only runs of queries from this IATA airport or city code.", schema: { type: "string", pattern: "^[A-Za-z]{3}$", examples: ["LHR"] } },
  destination: { description: "Only runs of queries to this IATA airport or city code.", schema: { type: "string", pattern: "^[A-Za-z]{3}$", examples: ["JFK"] } },
  from: { description: "Runs started at or after this instant.", schema: { type: "string", format: "date-time", examples: ["2026-11-23T10:00:00Z"] } },
  to: { description: "Runs started before this instant (after from).", schema: { type: "string", format: "date-time" } },
  cursor: { description: "The previous page's nextCursor: the page after it.", schema: { type: "string", maxLength: 200 } },
  limit: { description: "Runs per page, 1 to 200; 50 when not given.", schema: { type: "integer", minimum: 1, maximum: 200 } },
};

const ADMINS = [{ apiKey: ["admin"] }, { session: [] }];
const TAGS = ["Admin"];
const json = (description: string, schema: string) => ({ description, content: { "application/json": { schema: ref(schema) } } });
const refusals = {
  "401": problem("Not signed in, and no valid API key."),
  "403": problem("Not an admin (now: a key stops working when its owner is no longer one), or an API key without the `admin` scope."),
};
const changeRefusals = {
  ...refusals,
  "403": problem("Not an admin, an API key without the `admin` scope, or a session's change from another site."),
};
const runIdParameter = { name: "id", in: "path", required: true, description: "The run's id.", schema: { type: "integer", minimum: 1 } };
const providerIdParameter = { name: "id", in: "path", required: true, description: "The provider's id.", schema: { type: "string", pattern: "^[a-z0-9-]{1,40}$", examples: ["skyway"] } };
const NO_RUN = problem("There is no ingestion run with this id.");
const NO_PROVIDER = problem("No provider with this id is enabled here.");

function deadLetterAction(operationId: string, summary: string, description: string) {
  return {
    post: {
      operationId,
      tags: TAGS,
      summary,
      description,
      security: ADMINS,
      parameters: [runIdParameter],
      responses: {
        "200": json("What the call resolved (nothing when the run was not waiting in the dead letters).", "DeadLetterActionResult"),
        "400": problem("The id is not a run's id."),
        ...changeRefusals,
        "404": NO_RUN,
        "503": problem("The job queue has not been set up on this database yet (a worker makes it on its first start)."),
      },
    },
  };
}

export const ADMIN_PATHS = {
  "/api/v1/admin/overview": {
    get: {
      operationId: "getAdminOverview",
      tags: TAGS,
      summary: "The admin console's overview",
      description: "Queue depths, runs in the last hour and day by outcome, snapshots written per hour, scheduler lag, each provider's state, the oldest overdue tracked query, deliveries.",
      security: ADMINS,
      responses: { "200": json("The figures, as of generatedAt.", "AdminOverview"), ...refusals },
    },
  },
  "/api/v1/admin/ingestions": {
    get: {
      operationId: "listIngestions",
      tags: TAGS,
      summary: "Ingestion runs with their status",
      description: "Every attempt of every ingestion job, newest first, filtered; a page at a time (follow nextCursor).",
      security: ADMINS,
      parameters: Object.entries(RUN_PARAMETERS).map(([name, parameter]) => ({ name, in: "query", required: false, ...parameter })),
      responses: {
        "200": json("A page of runs.", "IngestionRunPage"),
        "400": problem("A parameter is malformed, repeated or unknown, to is not after from, providerStatus comes without provider, or the cursor is not this list's; `errors` names each."),
        ...refusals,
      },
    },
  },
  "/api/v1/admin/ingestions/{id}": {
    get: {
      operationId: "getIngestion",
      tags: TAGS,
      summary: "One ingestion run",
      description: "The run, every attempt of its job, the job's payload, and the runs of the job an admin's retry queued.",
      security: ADMINS,
      parameters: [runIdParameter],
      responses: { "200": json("The run and its job.", "IngestionRunDetail"), "400": problem("The id is not a run's id."), ...refusals, "404": NO_RUN },
    },
  },
  "/api/v1/admin/ingestions/{id}/retry": deadLetterAction(
    "retryIngestion",
    "Retry a dead-lettered run",
    "Queues one new ingestion job for the run's query (not a second one while one waits for it), marks the run retried and drops the dead-letter queue's copy, at once. Only a run still dead-lettered counts: retrying it twice runs it once. Audited.",
  ),
  "/api/v1/admin/ingestions/{id}/discard": deadLetterAction(
    "discardIngestion",
    "Discard a dead-lettered run",
    "Gives up on it: marked discarded, the dead-letter queue's copy dropped; the query is refreshed on its usual schedule. Audited.",
  ),
  "/api/v1/admin/providers": {
    get: {
      operationId: "listProviderHealth",
      tags: TAGS,
      summary: "Provider health",
      description: "Each enabled provider: its pause and circuit, calls, errors, timeouts and latency over the last hour and day (and each hour), from every instance's recorded calls; its latest errors.",
      security: ADMINS,
      responses: { "200": json("The providers.", "ProviderHealthList"), ...refusals },
    },
  },
  "/api/v1/admin/providers/{id}/pause": {
    post: {
      operationId: "pauseProvider",
      tags: TAGS,
      summary: "Pause a provider",
      description: "Live searches (their chip says paused) and scheduled runs stop calling it on every instance within a second, until resumed. The body may be left out. Audited.",
      security: ADMINS,
      parameters: [providerIdParameter],
      requestBody: { required: false, content: { "application/json": { schema: ref("ProviderPauseRequest") } } },
      responses: { "200": json("The provider as it is now.", "ProviderControlAnswer"), "400": problem("The id or the body is malformed; `errors` names each."), ...changeRefusals, "404": NO_PROVIDER },
    },
  },
  "/api/v1/admin/providers/{id}/resume": {
    post: {
      operationId: "resumeProvider",
      tags: TAGS,
      summary: "Resume a provider",
      description: "Searches and the scheduler call it again (within a second on every instance). Audited.",
      security: ADMINS,
      parameters: [providerIdParameter],
      responses: { "200": json("The provider as it is now.", "ProviderControlAnswer"), "400": problem("The id is malformed."), ...changeRefusals, "404": NO_PROVIDER },
    },
  },
};
