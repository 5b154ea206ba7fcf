import { expect, it } from "vitest";
import { ensureUser } from "@/db/queries/users";
import type { Principal } from "@/server/auth/principal";
import { searchInputSchema } from "@/server/core/search-query";
import { addDays } from "@/server/core/time";
import { searchFlights } from "@/server/services/search/search-flights";
import { createCaller } from "@/server/trpc/root";
import { describeEachEngine } from "@/test/engines";
import { procedureContext } from "@/test/trpc";

const today = new Date().toISOString().slice(0, 10);
let sequence = 0;

describeEachEngine(
  "admin console read models",
  ({ app }) => {
    const admin = async () => {
      const user = await ensureUser(app().db, `console-admin-${Date.now()}-${sequence++}@example.test`);
      const principal: Principal = { via: "session", userId: user.id, role: "admin", sessionId: `s-${user.id}` };
      return { id: user.id, trpc: createCaller(procedureContext(app)({ principal })) };
    };

    it("answers every page's read on an empty console and after a search", async () => {
      const { trpc } = await admin();
      const ctx = app();
      await searchFlights(ctx, searchInputSchema.parse({ originCode: "LHR", destinationCode: "MAD", departureDate: addDays(today, 20) }));
      await ctx.observations.flush();
      const overview = await trpc.admin.overview();
      expect(overview.snapshotsPerHour).toHaveLength(24);
      expect(overview.snapshotsPerHour.at(-1)!.snapshots).toBeGreaterThan(0);
      expect(overview.providers.map((p) => p.id)).toEqual(["skyway", "farefinder"]);
      expect(overview.providers[0]!.hour.calls).toBeGreaterThan(0);
      const health = await trpc.admin.providerHealth();
      expect(health[0]!.hourly).toHaveLength(24);
      expect((await trpc.admin.runs({})).items).toEqual([]);
      expect((await trpc.admin.runs({ state: "failed", provider: "skyway", providerStatus: "failed", origin: "lhr", from: new Date(Date.now() - 3_600_000) })).items).toEqual([]);
      expect((await trpc.admin.failures({})).groups).toEqual([]);
      expect((await trpc.admin.freshness({})).items).toEqual([]);
      expect((await trpc.admin.deliveries()).channels.map((c) => c.kind)).toEqual(["email", "webhook", "ntfy"]);
      expect((await trpc.admin.users({ query: "console-admin" })).items.length).toBeGreaterThan(0);
      expect((await trpc.admin.audit({})).items).toBeDefined();
      await expect(trpc.admin.runs({ cursor: "nope" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    });
  },
  { seed: true },
);
