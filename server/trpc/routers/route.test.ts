import { expect, it } from "vitest";
import { addDays } from "@/server/core/time";
import { createCaller } from "@/server/trpc/root";
import { describeEachEngine } from "@/test/engines";
import { procedureContext } from "@/test/trpc";

const today = new Date().toISOString().slice(0, 10);

describeEachEngine(
  "route router",
  ({ app }) => {
    const context = procedureContext(app);

    it("route procedures read the history, the date grid and the route; unknown codes are BAD_REQUEST", async () => {
      const caller = createCaller(context());
      await caller.flight.search({ originCode: "LHR", destinationCode: "AMS", departureDate: addDays(today, 12) });
      const info = await caller.route.info({ origin: "lhr", destination: "AMS" });
      expect(info).toMatchObject({ currency: "GBP", cabin: "economy", origins: ["LHR"], destinations: ["AMS"] });
      const history = await caller.route.history({ origin: "LHR", destination: "AMS", days: 30 });
      expect(history.points).toHaveLength(1);
      expect(history.points[0]!.minMinor).toBeLessThanOrEqual(history.points[0]!.maxMinor);
      const grid = await caller.route.dateGrid({ origin: "LHR", destination: "AMS" });
      expect(grid.cells.map((c) => c.departureDate)).toEqual([addDays(today, 12)]);
      await expect(caller.route.history({ origin: "LHR", destination: "AMS", days: 45 as 30 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      await expect(caller.route.info({ origin: "QQQ", destination: "AMS" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    });
  },
  { seed: true },
);
