import { expect, test } from "@playwright/test";

// What a person or client may type, against the built app: never a 5xx, always a 4xx that says
// what is wrong (JSON problem details under /api/, the page's own view elsewhere). Runs on the
// embedded engine and on the PostgreSQL server.

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
// A placeholder in the paths, filled in when a test runs: a date in a test's title would differ
// between the runner's list and its worker's across midnight (UTC), and the test would not be found.
const IN_30_DAYS = "{in 30 days}";
const search = `originCode=LHR&destinationCode=JFK&departureDate=${IN_30_DAYS}`;
const at = (path: string) => path.replace(IN_30_DAYS, inDays(30));

const pages: [string, number, RegExp][] = [
  ["/routes/LHR-JFK?date=2026-02-30", 400, /date/],
  ["/routes/LHR-JFK?date=9999-99-99", 400, /date/],
  ["/routes/LHR-JFK?date=not-a-date", 400, /date/],
  ["/routes/LHR-JFK?days=abc", 400, /days/],
  ["/routes/LHR-JFK?days=-30", 400, /days/],
  ["/routes/LHR-JFK?days=45", 400, /days/],
  ["/routes/LHR-JFK?cabin=luxury", 400, /cabin/],
  ["/routes/LHR-JFK?date=2027-01-01%00", 400, /date/],
  ["/routes/LHR-JFK?days=30&cabin=deck&date=x", 400, /cabin/],
  ["/routes/LHR-QQQ", 404, /./],
  ["/routes/LHRJFK", 404, /./],
  ["/routes/L%00R-JFK", 404, /./],
  ["/search", 400, /Check your search/],
  ["/search?originCode=%00&destinationCode=JFK", 400, /Check your search/],
  [`/search?${search}&adults=0`, 400, /Check your search/],
  [`/search?${search}&cabins=deck`, 400, /Check your search/],
  [`/search?${search}&sort=random`, 400, /Check your search/],
];

for (const [path, status, says] of pages) {
  test(`page ${path} answers ${status}`, async ({ request }) => {
    const response = await request.get(at(path));
    expect(response.status()).toBe(status);
    expect(response.headers()["content-type"]).toContain("text/html");
    expect(await response.text()).toMatch(says);
  });
}

const api: [string, number, string][] = [
  ["/api/v1/airports?q=%00", 400, "q"],
  ["/api/v1/airports?q=lon%00don", 400, "q"],
  ["/api/v1/airports?q=lon&limit=99", 400, "limit"],
  [`/api/v1/flights/search?${search}&cursor=%00`, 400, "cursor"],
  [`/api/v1/flights/search?${search}&currency=GBP%0A`, 400, "currency"],
  ["/api/v1/flights/search?originCode=LHR", 400, "destinationCode"],
  ["/routes/LHR-JFK/snapshots.csv?days=0", 400, "days"],
  ["/routes/LHR-JFK/snapshots.csv?cabin=economy%00", 400, "cabin"],
  ["/routes/LHR-QQQ/snapshots.csv", 400, "destination"],
];

for (const [path, status, field] of api) {
  test(`endpoint ${path} answers ${status} naming ${field}`, async ({ request }) => {
    const response = await request.get(at(path));
    expect(response.status()).toBe(status);
    expect(response.headers()["content-type"]).toBe("application/problem+json");
    expect(Object.keys((await response.json()).errors)).toContain(field);
  });
}

test("a batch of tRPC calls larger than the cap is a 400", async ({ request }) => {
  const count = 21;
  const inputs = Object.fromEntries(Array.from({ length: count }, (_, i) => [i, { json: { query: "lon" } }]));
  const path = Array.from({ length: count }, () => "airport.search").join(",");
  const response = await request.get(`/api/trpc/${path}?batch=1&input=${encodeURIComponent(JSON.stringify(inputs))}`);
  expect(response.status()).toBe(400);
});

// Identity: no session and no key is a 401 that says how to authenticate; a key that does not
// hold up is a 401 too, never anonymity; a method an endpoint does not take is a 405.
const identity: [string, string, Record<string, string>, number][] = [
  ["GET", "/api/v1/api-keys", {}, 401],
  ["POST", "/api/v1/api-keys", {}, 401],
  ["DELETE", "/api/v1/api-keys/00000000-0000-4000-8000-000000000000", {}, 401],
  ["GET", "/api/v1/api-keys", { authorization: "Bearer nonsense" }, 401],
  ["GET", "/api/v1/api-keys", { authorization: `Bearer ft_${"A".repeat(43)}` }, 401],
  ["PUT", "/api/v1/api-keys", {}, 405],
];

for (const [method, path, headers, status] of identity) {
  test(`${method} ${path}${headers.authorization ? ` with Authorization: ${headers.authorization.slice(0, 16)}…` : ""} answers ${status}`, async ({ request }) => {
    const response = await request.fetch(path, { method, headers, data: method === "POST" ? { name: "x", scopes: ["search"] } : undefined });
    expect(response.status()).toBe(status);
    expect(response.headers()["content-type"]).toBe("application/problem+json");
    if (status === 401) expect(response.headers()["www-authenticate"]).toMatch(/^Bearer/);
  });
}
