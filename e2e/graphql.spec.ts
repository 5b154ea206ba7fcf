import { expect, test } from "@playwright/test";
import { inDays, newEmail, signIn } from "./helpers";

/**
 * GraphQL on the built app: a client with an API key pages through flights and tracks a route,
 * as a machine client would; production serves no explorer.
 */
test("a GraphQL client with an API key pages through flights, then tracks and untracks a route", async ({ page, baseURL }) => {
  const origin = baseURL!;
  await signIn(page, origin, newEmail("graphql"));
  const made = await page.request.post(`${origin}/api/v1/api-keys`, { data: { name: "graphql client", scopes: ["search", "tracking:read", "tracking:write"] } });
  expect(made.status()).toBe(201);
  const { key } = (await made.json()) as { key: string };
  const client = await page.context().browser()!.newContext();
  const gql = async <T>(query: string, variables: Record<string, unknown> = {}) => {
    const response = await client.request.post(`${origin}/api/graphql`, { headers: { authorization: `Bearer ${key}` }, data: { query, variables } });
    expect(response.status()).toBe(200);
    expect(response.headers()["cache-control"]).toBe("no-store");
    const body = (await response.json()) as { data: T; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data;
  };

  const departureDate = inDays(35);
  const PAGE = `query($after: String, $date: Date!) { flights(originCode: "LHR", destinationCode: "JFK", departureDate: $date, first: 15, after: $after) {
    totalCount simulated edges { cursor node { id airlineName price { amount currency } origin { code city } } } pageInfo { hasNextPage endCursor } } }`;
  type Page = { flights: { totalCount: number; simulated: boolean; edges: { node: { id: string; origin: { code: string; city: string } } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
  const ids: string[] = [];
  let after: string | null = null;
  let total = 0;
  do {
    const data: Page = await gql<Page>(PAGE, { after, date: departureDate });
    ids.push(...data.flights.edges.map((e) => e.node.id));
    total = data.flights.totalCount;
    expect(data.flights.simulated).toBe(true);
    expect(data.flights.edges[0]!.node.origin).toEqual({ code: "LHR", city: "London" });
    after = data.flights.pageInfo.hasNextPage ? data.flights.pageInfo.endCursor : null;
  } while (after);
  expect(total).toBeGreaterThan(15);
  expect(new Set(ids).size).toBe(total);

  const tracked = await gql<{ trackRoute: { id: string; state: string } }>("mutation($input: TrackRouteInput!) { trackRoute(input: $input) { id state } }", {
    input: { kind: "EXACT", originCode: "LHR", destinationCode: "JFK", departureDate },
  });
  expect(tracked.trackRoute.state).toBe("ACTIVE");
  expect((await gql<{ trackedRoutes: { id: string }[] }>("{ trackedRoutes { id } }")).trackedRoutes.map((r) => r.id)).toEqual([tracked.trackRoute.id]);
  // The route page of the signed-in owner shows it too: one store behind every surface.
  await page.goto(`${origin}/tracked`);
  await expect(page.getByText("LHR").first()).toBeVisible();
  expect(await gql<{ untrackRoute: string }>("mutation($id: ID!) { untrackRoute(id: $id) }", { id: tracked.trackRoute.id })).toEqual({ untrackRoute: tracked.trackRoute.id });
  await client.close();
});

test("production serves no GraphQL explorer, answers queries over GET and refuses bad input without a 5xx", async ({ request }) => {
  const explorer = await request.get("/api/graphql", { headers: { accept: "text/html" } });
  expect(explorer.headers()["content-type"] ?? "").not.toContain("text/html");
  expect(explorer.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  const get = await request.get(`/api/graphql?query=${encodeURIComponent('{ airports(query: "heathrow") { code city } }')}`);
  expect(get.status()).toBe(200);
  expect(await get.json()).toEqual({ data: { airports: [{ code: "LHR", city: "London" }] } });
  for (const query of ["{ flights(", `{ flights(originCode: "LHR", destinationCode: "XXX", departureDate: "${inDays(3)}") { totalCount } }`, "{ trackedRoutes { id } }"]) {
    const answer = await request.post("/api/graphql", { data: { query } });
    expect(answer.status(), query).toBeLessThan(500);
    expect(((await answer.json()) as { errors: unknown[] }).errors.length, query).toBeGreaterThan(0);
  }
  const put = await request.put("/api/graphql", { data: {} });
  expect(put.status()).toBe(405);
});
