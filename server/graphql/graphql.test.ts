import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { flightQuery } from "@/db/schema";
import type { AppContext } from "@/server/context";
import { addDays } from "@/server/core/time";
import { handleFlightSearch, searchEndpointDeps } from "@/server/http/search-endpoint";
import { describeEachEngine } from "@/test/engines";
import { graphqlClient } from "@/test/graphql";

const departureDate = addDays(new Date().toISOString().slice(0, 10), 30);

const FLIGHT_FIELDS = "id airlineCode flightNumber price { amount currency } stops durationMinutes departureTime";

describeEachEngine(
  "GraphQL /api/graphql: flights",
  ({ app }) => {
    let shared: AppContext | undefined;
    const ctx = () => (shared ??= app());
    const gql = graphqlClient(ctx);

    /** Every flight of a REST search, in order, following nextCursor. */
    async function restIds(params: Record<string, string>): Promise<{ ids: string[]; total: number }> {
      const ids: string[] = [];
      let cursor: string | null = null;
      let total = 0;
      do {
        const query = new URLSearchParams({ originCode: "LHR", destinationCode: "JFK", departureDate, limit: "100", ...params, ...(cursor ? { cursor } : {}) });
        const response = await handleFlightSearch(new Request(`http://localhost:3000/api/v1/flights/search?${query}`), searchEndpointDeps(ctx()));
        expect(response.status).toBe(200);
        const body = (await response.json()) as { flights: { id: string }[]; nextCursor: string | null; totalResults: number };
        ids.push(...body.flights.map((f) => f.id));
        cursor = body.nextCursor;
        total = body.totalResults;
      } while (cursor);
      return { ids, total };
    }

    const FLIGHTS = `query Flights($origin: String!, $destination: String!, $date: Date!, $first: Int, $after: String, $last: Int, $before: String, $sort: FlightSort, $filters: FlightFilters, $cabins: [CabinClass!], $currency: String, $returnDate: Date) {
      flights(originCode: $origin, destinationCode: $destination, departureDate: $date, first: $first, after: $after, last: $last, before: $before, sort: $sort, filters: $filters, cabins: $cabins, currency: $currency, returnDate: $returnDate) {
        totalCount lastUpdated currency cached simulated
        providers { provider status offerCount }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { ${FLIGHT_FIELDS} } }
      }
    }`;
    type FlightsData = {
      flights: {
        totalCount: number;
        lastUpdated: string;
        currency: string;
        cached: boolean;
        simulated: boolean;
        providers: { provider: string; status: string; offerCount: number }[];
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
        edges: { cursor: string; node: { id: string; airlineCode: string; price: { amount: number; currency: string }; stops: number; durationMinutes: number; departureTime: string } }[];
      };
    };
    const flights = (variables: Record<string, unknown> = {}) => gql<FlightsData>(FLIGHTS, { variables: { origin: "LHR", destination: "JFK", date: departureDate, ...variables } });

    it("answers the contract's query: a connection of flights with airports, money, times and a duration", async () => {
      const answer = await gql<{ flights: { totalCount: number; lastUpdated: string; edges: { node: Record<string, unknown>; cursor: string }[]; pageInfo: Record<string, unknown> } }>(
        `{ flights(originCode: "LHR", destinationCode: "JFK", departureDate: "${departureDate}", cabins: [ECONOMY], adults: 1) {
            totalCount lastUpdated
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            edges { cursor node { id airlineCode airlineName flightNumber
              origin { code name city country } destination { code name city country }
              departureTime arrivalTime duration stops price { amount currency } cabin deepLink } } } }`,
      );
      expect(answer.errors).toEqual([]);
      expect(answer.status).toBe(200);
      const connection = answer.data!.flights;
      expect(connection.edges).toHaveLength(Math.min(20, connection.totalCount));
      expect(connection.totalCount).toBeGreaterThan(20);
      expect(connection.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, startCursor: connection.edges[0]!.cursor, endCursor: connection.edges.at(-1)!.cursor });
      const node = connection.edges[0]!.node;
      expect(node).toMatchObject({
        origin: { code: "LHR", name: "London Heathrow Airport", city: "London", country: "United Kingdom" },
        destination: { code: "JFK", city: "New York City", country: "United States" },
        cabin: "ECONOMY",
        price: { currency: "GBP" },
      });
      expect(node.departureTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00[+-]\d\d:\d\d$/);
      expect(node.duration).toMatch(/^PT(\d+H)?(\d+M)?$/);
      expect(node.airlineName).not.toBe(node.airlineCode);
      expect(Date.parse(connection.lastUpdated)).toBeLessThanOrEqual(Date.now());
    });

    it("pages forward and backward through the same flights, in the same order, as the REST search", async () => {
      const rest = await restIds({});
      const forward: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const { data, errors } = await flights({ first: 7, after });
        expect(errors).toEqual([]);
        const page = data!.flights;
        expect(page.totalCount).toBe(rest.total);
        expect(page.pageInfo.hasPreviousPage).toBe(pages > 0);
        forward.push(...page.edges.map((e) => e.node.id));
        pages++;
        if (!page.pageInfo.hasNextPage) break;
        expect(page.edges).toHaveLength(7);
        after = page.pageInfo.endCursor;
      }
      expect(forward).toEqual(rest.ids);
      expect(pages).toBe(Math.ceil(rest.total / 7));

      const backward: string[][] = [];
      let before: string | null = null;
      for (;;) {
        const { data, errors } = await flights({ last: 5, before });
        expect(errors).toEqual([]);
        const page = data!.flights;
        backward.unshift(page.edges.map((e) => e.node.id));
        expect(page.pageInfo.hasNextPage).toBe(backward.length > 1);
        if (!page.pageInfo.hasPreviousPage) break;
        before = page.pageInfo.startCursor;
      }
      expect(backward.flat()).toEqual(rest.ids);
      expect(backward.slice(1).every((page) => page.length === 5)).toBe(true);

      // after and before together: the flights between two cursors.
      const { data } = await flights({ first: 10 });
      const edges = data!.flights.edges;
      const between = await flights({ after: edges[1]!.cursor, before: edges[6]!.cursor });
      expect(between.data!.flights.edges.map((e) => e.node.id)).toEqual(edges.slice(2, 6).map((e) => e.node.id));
      expect(between.data!.flights.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    });

    it("filters and sorts exactly as the REST search does", async () => {
      const sample = (await flights({ first: 100 })).data!.flights.edges.map((e) => e.node);
      const airline = sample[0]!.airlineCode;
      const price = [...sample.map((f) => f.price.amount)].sort((a, b) => a - b)[Math.floor(sample.length / 2)]!;
      const cases: [string, Record<string, unknown>, Record<string, string>][] = [
        ["cheapest", { sort: "CHEAPEST" }, { sort: "cheapest" }],
        ["fastest", { sort: "FASTEST" }, { sort: "fastest" }],
        ["nonstop", { filters: { maxStops: 0 } }, { maxStops: "0" }],
        ["one airline", { filters: { airlines: [airline] } }, { airlines: airline }],
        ["without an airline", { filters: { excludeAirlines: [airline] } }, { excludeAirlines: airline }],
        ["departure window", { filters: { departAfter: "08:00", departBefore: "14:30" } }, { departAfter: "08:00", departBefore: "14:30" }],
        ["arrival window", { filters: { arriveAfter: "12:00", arriveBefore: "23:00" } }, { arriveAfter: "12:00", arriveBefore: "23:00" }],
        ["shortest journeys", { filters: { maxDurationMinutes: 600 } }, { maxDuration: "600" }],
        ["under a price", { filters: { maxPrice: price } }, { maxPrice: String(price) }],
        ["business, in dollars, cheapest", { cabins: ["BUSINESS"], currency: "USD", sort: "CHEAPEST" }, { cabins: "business", currency: "USD", sort: "cheapest" }],
        ["round trip", { returnDate: addDays(departureDate, 7) }, { returnDate: addDays(departureDate, 7) }],
      ];
      for (const [name, graphql, rest] of cases) {
        const { data, errors } = await flights({ first: 100, ...graphql });
        expect(errors, name).toEqual([]);
        const expected = await restIds(rest);
        expect(data!.flights.totalCount, name).toBe(expected.total);
        expect(data!.flights.edges.map((e) => e.node.id), name).toEqual(expected.ids.slice(0, 100));
        expect(expected.total, `${name} narrows nothing to nothing`).toBeGreaterThan(0);
      }
      const nonstop = (await flights({ first: 100, filters: { maxStops: 0 } })).data!.flights;
      expect(nonstop.edges.every((e) => e.node.stops === 0)).toBe(true);
      expect(nonstop.totalCount).toBeLessThan(sample.length);
    });

    it("reports each provider and the cache, and pages one search result without asking the providers again", async () => {
      const first = (await flights({ date: addDays(departureDate, 3), first: 3 })).data!.flights;
      expect(first.providers.map((p) => [p.provider, p.status])).toEqual([
        ["skyway", "OK"],
        ["farefinder", "OK"],
      ]);
      expect(first.simulated).toBe(true);
      const second = (await flights({ date: addDays(departureDate, 3), first: 3, after: first.pageInfo.endCursor })).data!.flights;
      expect(second.cached).toBe(true);
      expect(second.lastUpdated).toBe(first.lastUpdated);
    });

    it("refuses bad input with a message per field, never a 5xx, and searches nothing", async () => {
      const bad = async (variables: Record<string, unknown>) => {
        const answer = await flights(variables);
        expect(answer.status).toBeLessThan(500);
        expect(answer.data?.flights ?? null).toBeNull();
        return answer.errors;
      };
      const [codes] = await bad({ origin: "XXXX", destination: "QQQ" });
      expect(codes!.extensions).toMatchObject({ code: "BAD_USER_INPUT", fields: { originCode: [expect.stringMatching(/3-letter IATA/)] } });
      const [unknown] = await bad({ origin: "QQQ" });
      expect(unknown!.extensions!.fields).toEqual({ originCode: [expect.stringMatching(/not a known/)] });
      const [past] = await bad({ date: "2020-01-01" });
      expect(past!.extensions!.fields).toHaveProperty("departureDate");
      const [filters] = await bad({ filters: { maxStops: 9, departAfter: "25:00" } });
      expect(Object.keys(filters!.extensions!.fields!).sort()).toEqual(["departAfter", "maxStops"]);
      // Paging arguments are checked before the search: a bad one asks no provider and writes nothing.
      const untouched = addDays(departureDate, 9);
      const [paging] = await bad({ date: untouched, first: 101 });
      expect(paging!.extensions!.fields).toEqual({ first: ["must be a whole number from 0 to 100"] });
      const [negative] = await bad({ date: untouched, last: -1 });
      expect(negative!.extensions!.fields).toEqual({ last: ["must be a whole number from 0 to 100"] });
      const [garbage] = await bad({ date: untouched, before: "garbage" });
      expect(garbage!.extensions!.fields).toHaveProperty("before");
      const searched = await ctx().db.select({ id: flightQuery.id }).from(flightQuery).where(eq(flightQuery.departureDate, untouched));
      expect(searched).toEqual([]);
      const [cursor] = await bad({ after: "bm90IGEgY3Vyc29y" });
      expect(cursor!.extensions).toMatchObject({ code: "BAD_USER_INPUT", fields: { after: [expect.stringMatching(/not valid for this search/)] } });
      const otherSearch = (await flights({ first: 2, sort: "CHEAPEST" })).data!.flights.pageInfo.endCursor;
      const [stale] = await bad({ after: otherSearch });
      expect(stale!.extensions!.fields).toHaveProperty("after");

      // Wrong types and dates GraphQL itself refuses: a 400 with the variable named.
      const typed = await flights({ date: "31/12/2027", first: "ten" });
      expect(typed.status).toBe(400);
      expect(typed.errors.map((e) => e.message).join(" ")).toMatch(/\$date.*YYYY-MM-DD/);
      const literal = await gql(`{ flights(originCode: 12, destinationCode: "JFK", departureDate: "${departureDate}") { totalCount } }`);
      expect(literal.status).toBe(400);
      expect(literal.errors[0]!.message).toMatch(/String cannot represent a non string value/);
      const syntax = await gql("{ flights(");
      expect(syntax.status).toBe(400);
      const unknownField = await gql(`{ flights(originCode: "LHR", destinationCode: "JFK", departureDate: "${departureDate}") { price } }`);
      expect(unknownField.status).toBe(400);
    });
  },
  { seed: true },
);
