import { expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { flightQuery } from "@/db/schema";
import type { AppContext } from "@/server/context";
import { addDays } from "@/server/core/time";
import { MemoryRateLimiter } from "@/server/ratelimit/memory";
import { searchPlaces } from "@/server/services/places/search-places";
import { routeDateGrid, routeHistory } from "@/server/services/routes/route-views";
import { listTracked } from "@/server/services/tracking/tracked-routes";
import { describeEachEngine } from "@/test/engines";
import { graphqlClient, testPerson } from "@/test/graphql";
import { handleGraphQL, MAX_GRAPHQL_BODY_BYTES } from "./http";
import { createGraphQLServer, GRAPHQL_LIMITS } from "./yoga";

const departureDate = addDays(new Date().toISOString().slice(0, 10), 40);
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

const TRACK = `mutation Track($input: TrackRouteInput!) { trackRoute(input: $input) { id kind status state originCode destinationCode departureDate cabin passengers { adults } currency } }`;
const TRACKED = `{ trackedRoutes { id status departureDate } }`;

describeEachEngine(
  "GraphQL /api/graphql: who may do what, and the limits",
  ({ app }) => {
    let shared: AppContext | undefined;
    const ctx = () => (shared ??= app());
    const gql = graphqlClient(ctx);
    const server = createGraphQLServer(async () => ctx());

    it("a client with an API key pages through flights and tracks, edits and untracks a route", async () => {
      const person = await testPerson(ctx(), "gql-client");
      const key = await person.key("search", "tracking:read", "tracking:write");
      const page = `query Page($after: String) { flights(originCode: "LON", destinationCode: "NYC", departureDate: "${departureDate}", first: 10, after: $after) {
        totalCount edges { node { id origin { code } destination { code } price { amount currency } } } pageInfo { hasNextPage endCursor } } }`;
      const seen: string[] = [];
      let after: string | null = null;
      let total = 0;
      do {
        const answer: Awaited<ReturnType<typeof gql<{ flights: { totalCount: number; edges: { node: { id: string; origin: { code: string } } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>>> = await gql(
          page,
          { variables: { after }, headers: bearer(key) },
        );
        expect(answer.errors).toEqual([]);
        seen.push(...answer.data!.flights.edges.map((e) => e.node.id));
        total = answer.data!.flights.totalCount;
        after = answer.data!.flights.pageInfo.hasNextPage ? answer.data!.flights.pageInfo.endCursor : null;
      } while (after);
      expect(seen).toHaveLength(total);
      expect(new Set(seen).size).toBe(total);

      const tracked = await gql<{ trackRoute: { id: string; state: string; originCode: string; destinationCode: string; currency: string } }>(TRACK, {
        variables: { input: { kind: "EXACT", originCode: "lon", destinationCode: "NYC", departureDate, cabin: "BUSINESS", adults: 2 } },
        headers: bearer(key),
      });
      expect(tracked.errors).toEqual([]);
      expect(tracked.data!.trackRoute).toMatchObject({ kind: "EXACT", status: "ACTIVE", state: "ACTIVE", originCode: "LON", destinationCode: "NYC", departureDate, cabin: "BUSINESS", passengers: { adults: 2 }, currency: "GBP" });
      const id = tracked.data!.trackRoute.id;
      expect((await listTracked(ctx(), person.id)).map((r) => r.id)).toEqual([id]);

      const paused = await gql<{ updateTrackedRoute: { status: string; departureDate: string } }>(
        `mutation { updateTrackedRoute(id: "${id}", input: { status: PAUSED, departureDate: "${addDays(departureDate, 1)}" }) { status departureDate } }`,
        { headers: bearer(key) },
      );
      expect(paused.errors).toEqual([]);
      expect(paused.data!.updateTrackedRoute).toEqual({ status: "PAUSED", departureDate: addDays(departureDate, 1) });
      const list = await gql<{ trackedRoutes: { id: string; status: string }[] }>(TRACKED, { headers: bearer(key) });
      expect(list.data!.trackedRoutes).toEqual([{ id, status: "PAUSED", departureDate: addDays(departureDate, 1) }]);
      const gone = await gql<{ untrackRoute: string }>(`mutation { untrackRoute(id: "${id}") }`, { headers: bearer(key) });
      expect(gone.data).toEqual({ untrackRoute: id });
      expect(await listTracked(ctx(), person.id)).toEqual([]);
    });

    it("uses the same scopes as tRPC and REST: a key without them is refused, anonymous callers get UNAUTHENTICATED, a bad key 401", async () => {
      const person = await testPerson(ctx(), "gql-scopes");
      const historyOnly = await person.key("history");
      const reader = await person.key("tracking:read");
      const searchFlights = await gql(`{ flights(originCode: "LHR", destinationCode: "JFK", departureDate: "${departureDate}") { totalCount } }`, { headers: bearer(historyOnly) });
      expect(searchFlights.errors[0]).toMatchObject({ path: ["flights"], extensions: { code: "FORBIDDEN" } });
      expect(searchFlights.errors[0]!.message).toMatch(/lacks the scope search/);
      expect((await gql(TRACKED, { headers: bearer(historyOnly) })).errors[0]!.extensions!.code).toBe("FORBIDDEN");
      expect((await gql(TRACKED, { headers: bearer(reader) })).data).toEqual({ trackedRoutes: [] });
      const write = await gql(TRACK, { variables: { input: { kind: "EXACT", originCode: "LHR", destinationCode: "JFK", departureDate } }, headers: bearer(reader) });
      expect(write.errors[0]!.extensions!.code).toBe("FORBIDDEN");
      expect((await gql(`{ notifications { unreadCount } }`, { headers: bearer(reader) })).errors[0]!.extensions!.code).toBe("FORBIDDEN");

      for (const query of [TRACKED, `{ notifications { unreadCount } }`, `{ trackedRoute(id: "00000000-0000-4000-8000-000000000000") { id } }`]) {
        const anonymous = await gql(query);
        expect(anonymous.errors[0]!.extensions!.code, query).toBe("UNAUTHENTICATED");
        // Nothing of anyone's: no data, or a null field (trackedRoute is nullable).
        expect(Object.values(anonymous.data ?? {}).every((value) => value === null), query).toBe(true);
      }
      expect((await gql(TRACK, { variables: { input: { kind: "EXACT", originCode: "LHR", destinationCode: "JFK", departureDate } } })).errors[0]!.extensions!.code).toBe("UNAUTHENTICATED");

      const badKey = await gql(TRACKED, { headers: bearer("ft_not_a_real_key_at_all") });
      expect(badKey.status).toBe(401);
      expect(badKey.errors[0]).toMatchObject({ extensions: { code: "UNAUTHENTICATED" } });
      // Open to all: airports and route history with no credentials.
      expect((await gql(`{ airports(query: "heathrow") { code } }`)).data).toEqual({ airports: [{ code: "LHR" }] });
    });

    it("a signed-in user's mutation from another site is refused; a key's is not a browser's", async () => {
      const person = await testPerson(ctx(), "gql-cross-site");
      const input = { kind: "EXACT", originCode: "LHR", destinationCode: "JFK", departureDate };
      const crossSite = await gql(TRACK, { variables: { input }, headers: { cookie: person.cookie, origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
      expect(crossSite.errors[0]!.extensions!.code).toBe("FORBIDDEN");
      expect(await listTracked(ctx(), person.id)).toEqual([]);
      // Refused for the whole operation, whichever mutation it is.
      const fromAfar = { cookie: person.cookie, origin: "https://evil.example", "sec-fetch-site": "cross-site" };
      const untrack = await gql(`mutation { untrackRoute(id: "00000000-0000-4000-8000-000000000000") }`, { headers: fromAfar });
      expect(untrack.errors[0]!.extensions!.code).toBe("FORBIDDEN");
      const sameSite = await gql(TRACK, { variables: { input }, headers: { cookie: person.cookie, host: "localhost:3000", origin: "http://localhost:3000", "sec-fetch-site": "same-origin" } });
      expect(sameSite.errors).toEqual([]);
      // Reading with the cookie from another site: the answer carries no CORS header, so no other site's page can read it.
      const read = await gql(TRACKED, { headers: { cookie: person.cookie, origin: "https://evil.example" } });
      expect(read.headers.get("access-control-allow-origin")).toBeNull();
      expect(read.headers.get("access-control-allow-credentials")).toBeNull();
      expect(read.headers.get("cache-control")).toBe("no-store");
    });

    it("refuses bad tracking input per field and writes nothing; another user's route is NOT_FOUND", async () => {
      const owner = await testPerson(ctx(), "gql-owner");
      const stranger = await testPerson(ctx(), "gql-stranger");
      const bad = await gql(TRACK, {
        variables: { input: { kind: "FLEXIBLE", originCode: "LHR", destinationCode: "LHR", departFrom: departureDate } },
        headers: { cookie: owner.cookie },
      });
      expect(bad.errors[0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
      expect(Object.keys(bad.errors[0]!.extensions!.fields!).sort()).toEqual(["departTo", "destinationCode"]);
      const wrongType = await gql(TRACK, { variables: { input: { kind: "SOMETIMES", originCode: "LHR", destinationCode: "JFK" } }, headers: { cookie: owner.cookie } });
      expect(wrongType.status).toBe(400);
      expect(await listTracked(ctx(), owner.id)).toEqual([]);

      const made = await gql<{ trackRoute: { id: string } }>(TRACK, { variables: { input: { kind: "EXACT", originCode: "LHR", destinationCode: "JFK", departureDate } }, headers: { cookie: owner.cookie } });
      const id = made.data!.trackRoute.id;
      for (const query of [
        `{ trackedRoute(id: "${id}") { id } }`,
        `mutation { updateTrackedRoute(id: "${id}", input: { status: PAUSED }) { id } }`,
        `mutation { untrackRoute(id: "${id}") }`,
      ]) {
        const refused = await gql(query, { headers: { cookie: stranger.cookie } });
        expect(refused.errors[0]!.extensions!.code, query).toBe("NOT_FOUND");
      }
      expect((await gql(`{ trackedRoute(id: "not-an-id") { id } }`, { headers: { cookie: owner.cookie } })).errors[0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", fields: { id: [expect.any(String)] } });
      expect((await listTracked(ctx(), owner.id)).map((r) => [r.id, r.status])).toEqual([[id, "active"]]);
    });

    it("serves airports, a route's history and date grid from the same services as the pages", async () => {
      await gql(`{ flights(originCode: "MAN", destinationCode: "DUB", departureDate: "${departureDate}") { totalCount } }`);
      const answer = await gql<{ airports: { code: string; kind: string; city: string | null }[]; route: { origin: { code: string }; currency: string; history: { days: number; points: unknown[] }; dateGrid: { cells: { departureDate: string; cheapest: { amount: number } }[] } } }>(
        `{ airports(query: "london", limit: 3) { code kind city }
           route(origin: "MAN", destination: "DUB") { origin { code name } currency
             history(days: 30) { days currency points { day min { amount } avg { amount } max { amount } samples } }
             dateGrid { from to cells { departureDate cheapest { amount currency } samples } } } }`,
      );
      expect(answer.errors).toEqual([]);
      expect(answer.data!.airports).toEqual((await searchPlaces(ctx(), "london", { limit: 3 })).map((p) => ({ code: p.code, kind: p.kind.toUpperCase(), city: p.city })));
      expect(answer.data!.airports[0]).toMatchObject({ code: "LON", kind: "METRO" });
      const input = { origin: "MAN", destination: "DUB", cabin: "economy" as const };
      const history = await routeHistory(ctx(), { ...input, days: 30 });
      expect(answer.data!.route.history.points).toHaveLength(history.points.length);
      const grid = await routeDateGrid(ctx(), input);
      expect(answer.data!.route.dateGrid.cells.map((c) => c.departureDate)).toEqual(grid.cells.map((c) => c.departureDate));
      expect(answer.data!.route.dateGrid.cells.map((c) => c.departureDate)).toContain(departureDate);
      const badDays = await gql(`{ route(origin: "MAN", destination: "DUB") { history(days: 31) { days } } }`);
      expect(badDays.errors[0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", fields: { days: [expect.stringMatching(/30, 90, 180/)] } });
      const badRoute = await gql(`{ route(origin: "MAN", destination: "QQQ") { currency } }`);
      expect(badRoute.errors[0]!.extensions!.fields).toHaveProperty("destination");
    });

    it("refuses queries that are too costly, too deep, too aliased or too big before searching anything", async () => {
      const full = `edges { node { id price { amount } slices { segments { flightNumber origin { code city } destination { code } } layovers { duration } } sources { provider price { amount } } } }`;
      const search = (alias: string, first: number) => `${alias}: flights(originCode: "LHR", destinationCode: "CDG", departureDate: "${departureDate}", first: ${first}) { ${full} }`;
      const searched = async () => (await ctx().db.select({ id: flightQuery.id }).from(flightQuery).where(and(eq(flightQuery.origin, "LHR"), eq(flightQuery.destination, "CDG")))).length;
      const costly = await gql(`{ ${search("a", 100)} ${search("b", 100)} ${search("c", 100)} }`);
      expect(costly.status).toBeLessThan(500);
      expect(costly.errors[0]!.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX" });
      expect(costly.data).toBeNull();
      expect(await searched()).toBe(0);
      // One full page of 100 is fine, and two.
      const one = await gql(`{ ${search("a", 100)} ${search("b", 100)} }`);
      expect(one.errors).toEqual([]);
      expect(await searched()).toBe(1);

      const deep = `{ flights(originCode: "LHR", destinationCode: "CDG", departureDate: "${departureDate}") ${"{ a ".repeat(GRAPHQL_LIMITS.depth + 2)}${"} ".repeat(GRAPHQL_LIMITS.depth + 2)}}`;
      const tooDeep = await gql(deep);
      expect(tooDeep.status).toBe(400);
      expect(tooDeep.errors.map((e) => e.message).join(" ")).toMatch(/depth limit/i);

      const aliases = Array.from({ length: GRAPHQL_LIMITS.aliases + 1 }, (_, i) => `a${i}: route(origin: "LHR", destination: "JFK") { currency }`).join(" ");
      const tooAliased = await gql(`{ ${aliases} }`);
      expect(tooAliased.status).toBe(400);
      expect(tooAliased.errors[0]!.message).toMatch(/aliases limit/i);

      const tokens = await gql(`{ ${Array.from({ length: GRAPHQL_LIMITS.tokens }, () => "__typename").join(" ")} }`);
      expect(tokens.status).toBe(400);
      expect(tokens.errors[0]!.message).toMatch(/token limit/i);

      const huge = await gql(`{ __typename } # ${"x".repeat(MAX_GRAPHQL_BODY_BYTES)}`, { headers: { "content-length": String(MAX_GRAPHQL_BODY_BYTES + 100) } });
      expect(huge.status).toBe(413);
      // A body that does not say its length (chunked) is counted as it is read.
      const streamed = new ReadableStream<Uint8Array>({
        start(controller) {
          const chunk = new TextEncoder().encode(`{"query": "{ __typename }", "variables": {"pad": "${"x".repeat(16 * 1024)}`);
          for (let i = 0; i < 5; i++) controller.enqueue(chunk);
          controller.close();
        },
      });
      const chunked = await handleGraphQL(server, new Request("http://localhost:3000/api/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: streamed, duplex: "half" } as RequestInit));
      expect(chunked.status).toBe(413);
      const small = await handleGraphQL(server, new Request("http://localhost:3000/api/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ __typename }" }) }));
      expect(await small.json()).toEqual({ data: { __typename: "Query" } });
    });

    it("answers queries over GET, refuses mutations over GET, and counts searches in the caller's limit", async () => {
      const get = await gql(`{ airports(query: "JFK") { code } }`, { method: "GET" });
      expect(get.status).toBe(200);
      expect(get.data).toEqual({ airports: [{ code: "JFK" }] });
      const mutation = await gql(`mutation { untrackRoute(id: "00000000-0000-4000-8000-000000000000") }`, { method: "GET" });
      expect(mutation.status).toBe(405);

      const once = new MemoryRateLimiter(1, 60_000);
      const strict = app({ limiter: () => once });
      const limited = graphqlClient(() => strict);
      const query = `{ airports(query: "paris") { code } }`;
      expect((await limited(query)).errors).toEqual([]);
      const refused = await limited(query);
      expect(refused.errors[0]!.extensions).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: expect.any(Number) });
    });
  },
  { seed: true },
);
