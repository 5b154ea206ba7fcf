import { z } from "zod";
import { TRACKED_KINDS, TRACKED_STATUSES, trackRouteInput, updateTrackedRouteInput } from "@/server/core/tracking";
import { CABINS } from "@/server/core/offer";
import { problem, type Json } from "./openapi-parts";

/** The tracked-routes part of the OpenAPI document (server/http/openapi.ts puts it together). */

/** The request bodies, from the same zod schemas the endpoints parse with (openapi.ts tidies them). */
const requestSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Json;

const nullableDate = { type: ["string", "null"], format: "date" };
const amount = { type: "object", required: ["amount", "currency"], properties: { amount: { type: "number" }, currency: { type: "string", pattern: "^[A-Z]{3}$" } } };
const nullableAmount = { oneOf: [amount, { type: "null" }] };

export const TRACKING_SCHEMAS: Record<string, Json> = {
  TrackRouteRequest: requestSchema(trackRouteInput),
  UpdateTrackedRouteRequest: requestSchema(updateTrackedRouteInput),
  TrackedRoute: {
    type: "object",
    required: [
      "id", "kind", "status", "state", "originCode", "destinationCode", "departureDate", "returnDate", "departFrom", "departTo", "nights", "cabin",
      "passengers", "currency", "filters", "flightNumbers", "price", "change", "lastCheckedAt", "nextCheckAt", "history", "createdAt", "updatedAt",
    ],
    properties: {
      id: { type: "string", format: "uuid" },
      kind: { type: "string", enum: [...TRACKED_KINDS] },
      status: { type: "string", enum: [...TRACKED_STATUSES] },
      state: { type: "string", enum: [...TRACKED_STATUSES, "expired"], description: "expired once its last departure date has passed." },
      originCode: { type: "string" },
      destinationCode: { type: "string" },
      departureDate: nullableDate,
      returnDate: nullableDate,
      departFrom: nullableDate,
      departTo: nullableDate,
      nights: { oneOf: [{ type: "object", required: ["min", "max"], properties: { min: { type: "integer" }, max: { type: "integer" } } }, { type: "null" }] },
      cabin: { type: "string", enum: [...CABINS] },
      passengers: { type: "object", required: ["adults", "children", "infants"], properties: { adults: { type: "integer" }, children: { type: "integer" }, infants: { type: "integer" } } },
      currency: { type: "string" },
      filters: {
        type: "object",
        required: ["maxStops", "airlines"],
        properties: { maxStops: { type: ["integer", "null"] }, airlines: { oneOf: [{ type: "array", items: { type: "string" } }, { type: "null" }] } },
      },
      flightNumbers: { oneOf: [{ type: "array", items: { type: "string" } }, { type: "null" }] },
      price: {
        description: "The lowest total price for the party at the last check (for a flexible route, across all its dates), and where it was found; null before the first.",
        oneOf: [
          {
            type: "object",
            required: ["amount", "currency", "departureDate", "returnDate", "itineraryKey", "provider", "simulated"],
            properties: {
              ...amount.properties,
              departureDate: nullableDate,
              returnDate: nullableDate,
              itineraryKey: { type: ["string", "null"] },
              provider: { type: ["string", "null"] },
              simulated: { type: "boolean", description: "From the simulated market: not a fare anyone can buy." },
            },
          },
          { type: "null" },
        ],
      },
      change: {
        type: "object",
        required: ["sinceFirst", "sinceLast"],
        description: "The price now minus the first price seen, and minus the price at the check before (negative: cheaper).",
        properties: { sinceFirst: nullableAmount, sinceLast: nullableAmount },
      },
      lastCheckedAt: { type: ["string", "null"], format: "date-time" },
      nextCheckAt: { type: ["string", "null"], format: "date-time", description: "When the scheduler refreshes it next; null when paused or expired." },
      history: {
        type: "array",
        description: "The price at each hour it was checked, over the last 30 days, oldest first.",
        items: { type: "object", required: ["at", "amount"], properties: { at: { type: "string", format: "date-time" }, amount: { type: "number" } } },
      },
      createdAt: { type: "string", format: "date-time" },
      updatedAt: { type: "string", format: "date-time" },
    },
  },
  TrackedRouteAnswer: { type: "object", required: ["trackedRoute"], properties: { trackedRoute: { $ref: "#/components/schemas/TrackedRoute" } } },
  TrackedRouteList: { type: "object", required: ["trackedRoutes"], properties: { trackedRoutes: { type: "array", items: { $ref: "#/components/schemas/TrackedRoute" } } } },
};

const readers = [{ apiKey: ["tracking:read"] }, { session: [] }];
const writers = [{ apiKey: ["tracking:write"] }, { session: [] }];
const idParameter = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const answer = (description: string, schema: string) => ({ description, content: { "application/json": { schema: { $ref: `#/components/schemas/${schema}` } } } });
const refusals = (scope: string) => ({
  "401": problem("Not signed in, and no valid API key."),
  "403": problem(`The API key lacks the \`${scope}\` scope, or a session's change came from another site.`),
});

export const TRACKING_PATHS = {
  "/api/v1/tracked-routes": {
    get: {
      operationId: "listTrackedRoutes",
      tags: ["Tracked routes"],
      summary: "List your tracked routes",
      description: "Newest first, each with its current lowest price, the change since tracking began and since the last check, its recent price points, and when it was and will be checked.",
      security: readers,
      responses: { "200": answer("Your tracked routes.", "TrackedRouteList"), ...refusals("tracking:read") },
    },
    post: {
      operationId: "trackRoute",
      tags: ["Tracked routes"],
      summary: "Track a route",
      description:
        "exact: one search (dates, cabin, party, currency, optional filters). flexible: departures from departFrom to departTo (at most 62 days), for a round trip a range of nights; its price is the lowest across all of them, refreshed as at most 60 concrete searches (evenly spaced past that). itinerary: exact dates plus the flight numbers of one itinerary, followed even when others are cheaper. A search of it made in the last day gives it its first price at once; the scheduler refreshes it by days to departure.",
      security: writers,
      requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/TrackRouteRequest" } } } },
      responses: {
        "201": { ...answer("The tracked route.", "TrackedRouteAnswer"), headers: { Location: { description: "The route's URL.", schema: { type: "string" } } } },
        "400": problem("A field is missing, malformed or inconsistent; `errors` names each."),
        ...refusals("tracking:write"),
        "409": problem("You track as many routes as an account may (TRACKED_ROUTES_PER_USER)."),
      },
    },
  },
  "/api/v1/tracked-routes/{id}": {
    get: {
      operationId: "getTrackedRoute",
      tags: ["Tracked routes"],
      summary: "One of your tracked routes",
      security: readers,
      parameters: [idParameter],
      responses: { "200": answer("The tracked route.", "TrackedRouteAnswer"), "400": problem("The id is not a tracked route's id."), ...refusals("tracking:read"), "404": problem("You have no tracked route with this id.") },
    },
    patch: {
      operationId: "updateTrackedRoute",
      tags: ["Tracked routes"],
      summary: "Pause, resume or change a tracked route",
      description: '{"status": "paused"} pauses it, {"status": "active"} resumes it. A change of its dates, party or filters is checked whole and starts its price history again; null clears a filter.',
      security: writers,
      parameters: [idParameter],
      requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/UpdateTrackedRouteRequest" } } } },
      responses: {
        "200": answer("The tracked route as it is now.", "TrackedRouteAnswer"),
        "400": problem("A field is malformed, or the route it makes is inconsistent; `errors` names each."),
        ...refusals("tracking:write"),
        "404": problem("You have no tracked route with this id."),
      },
    },
    delete: {
      operationId: "deleteTrackedRoute",
      tags: ["Tracked routes"],
      summary: "Stop tracking a route",
      security: writers,
      parameters: [idParameter],
      responses: { "204": { description: "Deleted, with its price points." }, "400": problem("The id is not a tracked route's id."), ...refusals("tracking:write"), "404": problem("You have no tracked route with this id.") },
    },
  },
};
