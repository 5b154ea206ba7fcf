import { TRPCError } from "@trpc/server";
import { and, eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { TRACKED_ROUTE_OBSERVED } from "@/db/queries/tracked-state";
import { ensureUser } from "@/db/queries/users";
import { eventOutbox, ingestionTarget, trackedRouteQuery } from "@/db/schema";
import type { Principal } from "@/server/auth/principal";
import { toMinor } from "@/server/core/money";
import { addDays } from "@/server/core/time";
import { createCaller } from "@/server/trpc/root";
import { describeEachEngine } from "@/test/engines";
import { schemaErrors } from "@/test/openapi";
import { procedureContext } from "@/test/trpc";

const today = new Date().toISOString().slice(0, 10);
let sequence = 0;

describeEachEngine(
  "tracked routes",
  ({ app }) => {
    const context = procedureContext(app);
    const db = () => app().db;

    async function newTraveller() {
      const user = await ensureUser(db(), `tracker-${Date.now()}-${sequence++}@example.test`);
      const principal: Principal = { via: "session", userId: user.id, role: "user", sessionId: `s-${user.id}` };
      return { user, trpc: createCaller(context({ principal })) };
    }
    const events = async (routeId: string) =>
      (await db().select().from(eventOutbox).where(eq(eventOutbox.topic, TRACKED_ROUTE_OBSERVED))).filter((e) => e.payload.trackedRouteId === routeId);
    const cheapest = (offers: { price: { amountMinor: number } }[]) => Math.min(...offers.map((o) => o.price.amountMinor));

    it("a route tracked from a search just made has that search's lowest price at once, and a later search moves it", async () => {
      const { trpc } = await newTraveller();
      const departureDate = addDays(today, 33);
      const search = await trpc.flight.results({ originCode: "LHR", destinationCode: "JFK", departureDate, currency: "GBP" });
      const route = await trpc.tracking.create({ kind: "exact", originCode: "lhr", destinationCode: "JFK", departureDate, currency: "GBP" });
      expect(route).toMatchObject({ kind: "exact", state: "active", originCode: "LHR", currency: "GBP", change: { sinceFirst: { amount: 0 }, sinceLast: null } });
      expect(toMinor(route.price!.amount, "GBP")).toBe(cheapest(search.offers));
      expect(route.lastCheckedAt).toBe(search.lastUpdated);
      // The search counts as its first refresh: the next is due a period later (6 h at 33 days out), not at once.
      const untilNext = (Date.parse(route.nextCheckAt!) - Date.parse(search.lastUpdated)) / 3_600_000;
      expect(untilNext).toBeGreaterThanOrEqual(6 * 0.9);
      expect(untilNext).toBeLessThanOrEqual(6 * 1.1);
      expect(route.history).toHaveLength(1);
      expect(route.price!.simulated).toBe(true);
      expect(await events(route.id)).toHaveLength(1);

      // The same search again (from a fresh context, so not from the cache) is a new check.
      const fresh = createCaller(procedureContext(app)());
      const second = await fresh.flight.results({ originCode: "LHR", destinationCode: "JFK", departureDate, currency: "GBP" });
      const after = await trpc.tracking.get({ id: route.id });
      expect(after.lastCheckedAt).toBe(second.lastUpdated);
      expect(toMinor(after.price!.amount, "GBP")).toBe(cheapest(second.offers));
      expect(after.change.sinceLast).not.toBeNull();
      // REST answers the same view: in the OpenAPI document's shape, priced and with history.
      expect(schemaErrors("TrackedRoute", JSON.parse(JSON.stringify(after)))).toEqual([]);
      expect(await events(route.id)).toHaveLength(2);
    });

    it("a flexible route stands for every departure and stay in its window; its price is the lowest across them, by its filters", async () => {
      const { trpc } = await newTraveller();
      const from = addDays(today, 50);
      const route = await trpc.tracking.create({ kind: "flexible", originCode: "CDG", destinationCode: "BCN", departFrom: from, departTo: addDays(from, 2), nights: { min: 3, max: 4 }, maxStops: 0 });
      const links = await db().select().from(trackedRouteQuery).where(eq(trackedRouteQuery.trackedRouteId, route.id));
      expect(links).toHaveLength(6);
      expect(route.price).toBeNull();

      const fresh = () => createCaller(procedureContext(app)());
      const first = await fresh().flight.results({ originCode: "CDG", destinationCode: "BCN", departureDate: from, returnDate: addDays(from, 3), currency: route.currency as "EUR" });
      const second = await fresh().flight.results({ originCode: "CDG", destinationCode: "BCN", departureDate: addDays(from, 1), returnDate: addDays(from, 5), currency: route.currency as "EUR" });
      const nonstop = (offers: typeof first.offers) => offers.filter((o) => o.slices.every((s) => s.stops === 0));
      const expected = Math.min(cheapest(nonstop(first.offers)), cheapest(nonstop(second.offers)));
      const tracked = await trpc.tracking.get({ id: route.id });
      expect(toMinor(tracked.price!.amount, tracked.currency)).toBe(expected);
      const winner = cheapest(nonstop(first.offers)) === expected ? [from, addDays(from, 3)] : [addDays(from, 1), addDays(from, 5)];
      expect([tracked.price!.departureDate, tracked.price!.returnDate]).toEqual(winner);
    });

    it("an itinerary route follows its own flights even when others are cheaper", async () => {
      const { trpc } = await newTraveller();
      const departureDate = addDays(today, 61);
      const search = await createCaller(procedureContext(app)()).flight.results({ originCode: "AMS", destinationCode: "LIS", departureDate, currency: "EUR" });
      const sorted = [...search.offers].sort((a, b) => b.price.amountMinor - a.price.amountMinor);
      const dearest = sorted[0]!;
      const flightNumbers = dearest.slices.flatMap((s) => s.segments.map((g) => g.flightNumber));
      const route = await trpc.tracking.create({ kind: "itinerary", originCode: "AMS", destinationCode: "LIS", departureDate, currency: "EUR", flightNumbers });
      expect(toMinor(route.price!.amount, "EUR")).toBe(dearest.price.amountMinor);
      expect(route.price!.itineraryKey).toBe(dearest.itineraryKey);
      expect(dearest.price.amountMinor).toBeGreaterThan(cheapest(search.offers));
    });

    it("paused routes keep their price; edits start the history again; deleting keeps what another user still tracks", async () => {
      const alice = await newTraveller();
      const bob = await newTraveller();
      const departureDate = addDays(today, 45);
      const input = { kind: "exact" as const, originCode: "MAD", destinationCode: "FCO", departureDate, currency: "EUR" as const };
      const a = await alice.trpc.tracking.create(input);
      const b = await bob.trpc.tracking.create(input);
      const paused = await alice.trpc.tracking.update({ id: a.id, status: "paused" });
      expect(paused).toMatchObject({ status: "paused", state: "paused", nextCheckAt: null });

      await createCaller(procedureContext(app)()).flight.results({ originCode: "MAD", destinationCode: "FCO", departureDate, currency: "EUR" });
      expect((await alice.trpc.tracking.get({ id: a.id })).price).toBeNull();
      expect((await bob.trpc.tracking.get({ id: b.id })).price).not.toBeNull();

      const edited = await bob.trpc.tracking.update({ id: b.id, departureDate: addDays(departureDate, 1), maxStops: 1 });
      expect(edited).toMatchObject({ departureDate: addDays(departureDate, 1), filters: { maxStops: 1 }, price: null, history: [] });
      // The old query is now alice's only (paused): its target stays; delete her route and it goes.
      const [oldLink] = await db().select().from(trackedRouteQuery).where(eq(trackedRouteQuery.trackedRouteId, a.id));
      expect(await db().select().from(ingestionTarget).where(eq(ingestionTarget.queryId, oldLink!.queryId))).toHaveLength(1);
      expect(await alice.trpc.tracking.delete({ id: a.id })).toEqual({ deleted: true });
      expect(await db().select().from(ingestionTarget).where(eq(ingestionTarget.queryId, oldLink!.queryId))).toHaveLength(0);
      expect(await alice.trpc.tracking.list()).toEqual([]);
      expect((await bob.trpc.tracking.list()).map((r) => r.id)).toEqual([b.id]);
    });

    it("refuses bad definitions with a message per field, and nothing is written", async () => {
      const { user, trpc } = await newTraveller();
      const fails = async (input: unknown, fields: string[]) => {
        const error = await trpc.tracking.create(input as never).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TRPCError);
        expect((error as TRPCError).code).toBe("BAD_REQUEST");
        for (const field of fields) expect(JSON.stringify((error as TRPCError).cause)).toContain(field);
      };
      await fails({ kind: "exact", originCode: "LHR", destinationCode: "JFK" }, ["departureDate"]);
      await fails({ kind: "exact", originCode: "LHR", destinationCode: "JFK", departureDate: addDays(today, -3) }, ["departureDate"]);
      await fails({ kind: "flexible", originCode: "LHR", destinationCode: "JFK", departFrom: addDays(today, 5) }, ["departTo"]);
      await fails({ kind: "flexible", originCode: "LHR", destinationCode: "JFK", departFrom: addDays(today, 5), departTo: addDays(today, 90) }, ["departTo"]);
      await fails({ kind: "itinerary", originCode: "LHR", destinationCode: "JFK", departureDate: addDays(today, 5) }, ["flightNumbers"]);
      await fails({ kind: "exact", originCode: "QQQ", destinationCode: "JFK", departureDate: addDays(today, 5) }, ["originCode"]);
      await fails({ kind: "exact", originCode: "LHR", destinationCode: "JFK", departureDate: addDays(today, 5), nights: { min: 2, max: 3 } }, ["nights"]);
      const [row] = await queryRows<{ n: number }>(db(), sql`SELECT count(*)::int AS n FROM tracked_route WHERE user_id = ${user.id}`);
      expect(row!.n).toBe(0);
    });

    it("stops at the account's allowance with a clear message (409)", async () => {
      const { user } = await newTraveller();
      const principal: Principal = { via: "session", userId: user.id, role: "user", sessionId: "s" };
      const limited = createCaller(procedureContext(() => app({ config: { tracking: { ...app().config.tracking, routesPerUser: 2 } } }))({ principal }));
      for (const days of [20, 21]) await limited.tracking.create({ kind: "exact", originCode: "LHR", destinationCode: "DUB", departureDate: addDays(today, days) });
      const error = await limited.tracking.create({ kind: "exact", originCode: "LHR", destinationCode: "DUB", departureDate: addDays(today, 22) }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/tracking 2 routes, the most an account may/) });
      expect(await limited.tracking.list()).toHaveLength(2);
    });

    it("writes each check's event once, however often the same observation is applied", async () => {
      const { trpc } = await newTraveller();
      const departureDate = addDays(today, 70);
      await createCaller(procedureContext(app)()).flight.results({ originCode: "BER", destinationCode: "VIE", departureDate, currency: "EUR" });
      const route = await trpc.tracking.create({ kind: "exact", originCode: "BER", destinationCode: "VIE", departureDate, currency: "EUR" });
      // Tracking it again (another route of the same user) re-applies the same observation to both.
      await trpc.tracking.create({ kind: "exact", originCode: "BER", destinationCode: "VIE", departureDate, currency: "EUR" });
      const written = await events(route.id);
      expect(written).toHaveLength(1);
      expect(written[0]!.payload).toMatchObject({ trackedRouteId: route.id, priceMinor: toMinor(route.price!.amount, "EUR"), currency: "EUR" });
      const pending = await db().select().from(eventOutbox).where(and(eq(eventOutbox.topic, TRACKED_ROUTE_OBSERVED), sql`${eventOutbox.processedAt} IS NULL`));
      expect(pending.length).toBeGreaterThanOrEqual(2);
    });
  },
  { seed: true },
);
