import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totalStops } from "@/server/core/offer";
import { addDays } from "@/server/core/time";
import { authenticationError, lhrJfkOffers, noOffers, rateLimitError, serverError, validationError } from "@/test/fixtures/duffel";
import { startReplayServer, type ReplayServer } from "@/test/http-replay";
import { duffelProvider } from "./duffel";
import { ResilientProvider, DEFAULT_RESILIENCE } from "./resilience";
import { ProviderError, type ProviderQuery } from "./types";
import { providerQuery } from "@/test/fixtures";

const date = addDays(new Date().toISOString().slice(0, 10), 45);
const query = providerQuery({ departureDate: date });
const TOKEN = "duffel_test_replay_token";

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(async () => {
  await server.close();
});

const provider = () => duffelProvider({ token: TOKEN, baseUrl: server.url });
const call = (q: ProviderQuery = query, budgetMs = 5_000) =>
  provider().search(q, { signal: new AbortController().signal, deadline: Date.now() + budgetMs, now: new Date() });
const resilient = (budgetMs = 5_000, timeoutMs = 5_000) =>
  new ResilientProvider(provider(), { ...DEFAULT_RESILIENCE, timeoutMs, backoffBaseMs: 10, backoffMaxMs: 20 }).search(query, {
    signal: new AbortController().signal,
    deadline: Date.now() + budgetMs,
    now: new Date(),
  });

describe("Duffel adapter against a replay of the Duffel API", () => {
  it("sends an offer request built from the query, with the supplier timeout inside our deadline", async () => {
    server.script({ status: 201, body: lhrJfkOffers(date), gzip: true });
    server.requests.length = 0;
    await call({ ...query, returnDate: addDays(date, 7), adults: 2, children: 1, infants: 1, cabin: "business" }, 6_000);
    const [request] = server.requests;
    expect(request).toMatchObject({ method: "POST", path: "/air/offer_requests/" });
    expect(request!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request!.headers["duffel-version"]).toBe("v2");
    expect(request!.query.get("return_offers")).toBe("true");
    const supplierTimeout = Number(request!.query.get("supplier_timeout"));
    expect(supplierTimeout).toBeGreaterThanOrEqual(2_000);
    expect(supplierTimeout).toBeLessThan(6_000);
    expect(request!.body).toEqual({
      data: {
        slices: [
          { origin: "LHR", destination: "JFK", departure_date: date, departure_time: null, arrival_time: null },
          { origin: "JFK", destination: "LHR", departure_date: addDays(date, 7), departure_time: null, arrival_time: null },
        ],
        passengers: [{ type: "adult" }, { type: "adult" }, { age: 8 }, { age: 1 }],
        cabin_class: "business",
      },
    });
  });

  it("normalises offers: local times through each airport's zone, stops, exact prices, references", async () => {
    server.script({ status: 201, body: lhrJfkOffers(date) });
    const offers = await call();
    expect(offers).toHaveLength(2);
    const [nonstop, connection] = offers as [(typeof offers)[0], (typeof offers)[0]];
    expect(nonstop.price).toEqual({ amountMinor: 45_230, currency: "GBP" });
    expect(nonstop.offerRef).toBe("off_0000AgZitXeDMvPIBq0mXj");
    expect(nonstop.expiresAt).toBe("2026-11-22T10:30:00.000Z");
    expect(nonstop.simulated).toBe(false);
    expect(nonstop.deepLink).toBeNull();
    const slice = nonstop.slices[0]!;
    expect(slice.segments[0]).toMatchObject({ carrier: "BA", flightNumber: "BA 117", origin: "LHR", destination: "JFK", aircraft: "Boeing 787-9" });
    // 08:25 in London and 11:25 in New York, the same winter/summer-time-correct 8 hours.
    expect(slice.departureLocal.slice(11, 16)).toBe("08:25");
    expect(slice.arrivalLocal.slice(11, 16)).toBe("11:25");
    expect((Date.parse(slice.arrivalAt) - Date.parse(slice.departureAt)) / 60_000).toBe(480);
    expect(totalStops(nonstop)).toBe(0);
    // Two flights, one of them with a technical stop at Shannon: 1 + 1 stops.
    expect(totalStops(connection)).toBe(2);
    expect(connection.slices[0]!.segments.map((s) => s.technicalStops)).toEqual([0, 1]);
    expect(connection.price.amountMinor).toBe(39_800);
  });

  it("marks test-mode offers (Duffel Airways) as simulated", async () => {
    server.script({ status: 201, body: lhrJfkOffers(date, { liveMode: false }) });
    expect((await call()).every((o) => o.simulated)).toBe(true);
  });

  it("returns nothing, without error, when there are no offers", async () => {
    server.script({ status: 201, body: noOffers(date) });
    expect(await call()).toEqual([]);
  });

  it("reports a 4xx with errors[] as a lasting error, with Duffel's message, and does not retry it", async () => {
    server.script({ status: 422, body: validationError });
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ transient: false, status: 422, message: "Duffel 422: The departure date must be in the future" });
    server.script({ status: 401, body: authenticationError });
    server.requests.length = 0;
    const outcome = await resilient();
    expect(outcome).toMatchObject({ status: "error", attempts: 1, error: "Duffel 401: The access token used is not recognised by our system" });
    expect(server.requests).toHaveLength(1);
  });

  it("treats a 429 as transient and honours its rate-limit headers", async () => {
    const reset = new Date(Date.now() + 30_000).toUTCString();
    server.script({ status: 429, body: rateLimitError, headers: { "ratelimit-limit": "120", "ratelimit-remaining": "0", "ratelimit-reset": reset } });
    const error = (await call().catch((e: unknown) => e)) as ProviderError;
    expect(error).toMatchObject({ transient: true, status: 429 });
    expect(error.retryAfterMs).toBeGreaterThan(25_000);
    // Waiting 30 s does not fit a 5 s budget: no retry, an error now.
    server.requests.length = 0;
    expect(await resilient()).toMatchObject({ status: "error", attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it("retries a 5xx and succeeds when Duffel recovers", async () => {
    server.script({ status: 503, body: serverError }, { status: 201, body: lhrJfkOffers(date) });
    server.requests.length = 0;
    const outcome = await resilient();
    expect(outcome).toMatchObject({ status: "ok", attempts: 2, offerCount: 2 });
    expect(server.requests).toHaveLength(2);
  });

  it("gives up on a slow answer at the deadline", async () => {
    server.script({ status: 201, body: lhrJfkOffers(date), delayMs: 3_000 });
    const started = Date.now();
    const outcome = await resilient(5_000, 400);
    expect(outcome.status).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("reports malformed JSON as an error, not a crash", async () => {
    server.script({ status: 201, body: '{"data": {"offers": [' });
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toMatch(/not valid JSON/);
    server.script({ status: 502, body: "<html>Bad gateway</html>", headers: { "content-type": "text/html" } });
    expect(await resilient()).toMatchObject({ status: "error" });
  });

  it("treats an unreachable API as transient", async () => {
    const gone = duffelProvider({ token: TOKEN, baseUrl: "http://127.0.0.1:1" });
    const error = await gone.search(query, { signal: new AbortController().signal, deadline: Date.now() + 2_000, now: new Date() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ transient: true });
  });
});
