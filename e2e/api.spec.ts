import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { seedSchemaErrors } from "../test/seed-openapi";

// The public API as a machine client meets it, on the zero-configuration server.

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

test("a REST search for LHR to JFK a month out returns ranked, labelled offers from both simulated providers; again, from the cache", async ({ request }) => {
  const url = `/api/v1/flights/search?originCode=LHR&destinationCode=JFK&departureDate=${inDays(30)}`;
  const first = await request.get(url);
  expect(first.status()).toBe(200);
  expect(first.headers()["x-cache"]).toBe("MISS");
  const body = await first.json();
  // The backend design's contract (test/seed-contract), as well as our own document.
  expect(seedSchemaErrors("FlightSearchResponse", body)).toEqual([]);
  expect(body.simulated).toBe(true);
  expect(body.providers.map((p: { provider: string; status: string }) => `${p.provider}:${p.status}`)).toEqual(["skyway:ok", "farefinder:ok"]);
  expect(body.flights.length).toBeGreaterThan(5);
  expect(body.flights[0]).toMatchObject({ origin: { code: "LHR" }, destination: { code: "JFK" }, price: { currency: "GBP" }, simulated: true });

  const second = await request.get(url);
  expect(second.headers()["x-cache"]).toBe("HIT");
  expect((await second.json()).lastUpdated).toBe(body.lastUpdated);
});

test("a bad search gets a 400 naming each bad parameter", async ({ request }) => {
  const response = await request.get("/api/v1/flights/search?originCode=LHR&destinationCode=LHR&departureDate=2020-01-01&cabins=luxury");
  expect(response.status()).toBe(400);
  expect(response.headers()["content-type"]).toContain("application/problem+json");
  const problem = await response.json();
  expect(seedSchemaErrors("ErrorResponse", problem)).toEqual([]);
  expect(Object.keys(problem.errors).sort()).toEqual(["cabins", "departureDate", "destinationCode"]);
});

test("the OpenAPI document and the API reference page are served", async ({ request, page }) => {
  const document = await (await request.get("/api/v1/openapi.json")).json();
  expect(document.openapi).toBe("3.1.0");
  expect(Object.keys(document.paths)).toContain("/api/v1/flights/search");
  await page.goto("/docs/api");
  await expect(page.getByRole("heading", { name: "Flight Tracker API" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /GET\s*\/api\/v1\/flights\/search/ })).toBeVisible();
  // The search's parameters come first (request bodies further down name originCode too).
  await expect(page.getByRole("cell", { name: "originCode" }).first()).toBeVisible();
  await expect(page.getByRole("heading", { name: /POST\s*\/api\/v1\/tracked-routes\s+Track a route/ })).toBeVisible();
  fs.mkdirSync("e2e/screenshots", { recursive: true });
  await page.screenshot({ path: "e2e/screenshots/api-reference.png" });
});

test("the airport autocomplete answers over REST and tRPC", async ({ request }) => {
  const rest = await (await request.get("/api/v1/airports?q=zürich&limit=3")).json();
  expect(rest.places[0].code).toBe("ZRH");
  const input = encodeURIComponent(JSON.stringify({ json: { query: "new yo", limit: 5 } }));
  const trpc = await (await request.get(`/api/trpc/airport.search?input=${input}`)).json();
  expect(trpc.result.data.json[0].code).toBe("NYC");
});

test("everything under /api/ answers JSON problem details: 404 for unknown paths, 405 with Allow for wrong methods", async ({ request }) => {
  for (const path of ["/api/v1/nope", "/api/v1/flights", "/api/v1/airports/LHR", "/api/v1/flights/search/extra", "/api/nothing"]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(404);
    expect(response.headers()["content-type"], path).toBe("application/problem+json");
    expect((await response.json()).status).toBe(404);
  }
  expect((await request.delete("/api/v1/nope")).status()).toBe(404);
  for (const [method, path, allow] of [
    ["post", "/api/v1/flights/search", "GET, HEAD, OPTIONS"],
    ["delete", "/api/v1/airports", "GET, HEAD, OPTIONS"],
    ["put", "/api/health", "GET, HEAD, OPTIONS"],
    ["patch", "/api/trpc/airport.search", "GET, POST, HEAD, OPTIONS"],
  ] as const) {
    const response = await request[method](path);
    expect(response.status(), `${method} ${path}`).toBe(405);
    expect(response.headers()["allow"]).toBe(allow);
    expect(response.headers()["content-type"]).toBe("application/problem+json");
  }
  // The methods a route serves still work, HEAD included.
  expect((await request.head("/api/health")).status()).toBe(200);
});
