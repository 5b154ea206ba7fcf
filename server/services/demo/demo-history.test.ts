import { expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { describeEachEngine } from "@/test/engines";
import { dailyPriceHistory } from "@/db/queries/price-daily";
import { DEMO_LEAD_DAYS, demoHistorySeeded, seedDemoHistory } from "./demo-history";

describeEachEngine(
  "seedDemoHistory",
  ({ database, reference }) => {
    it("writes days of history through the live write path, once", async () => {
      const db = database().db;
      const now = new Date();
      expect(await demoHistorySeeded(db)).toBe(false);
      const first = await seedDemoHistory({ db, reference: reference() }, { days: 4, routes: [["LHR", "JFK"], ["SYD", "MEL"]], now });
      // Today's 09:00 UTC observation exists only once 09:00 has passed.
      const observedDays = now.getUTCHours() >= 9 ? 4 : 3;
      expect(first.searches).toBe(observedDays * 2 * DEMO_LEAD_DAYS.length);
      expect(first.snapshots).toBeGreaterThan(first.searches * 5);
      expect(await demoHistorySeeded(db)).toBe(true);

      const history = await dailyPriceHistory(db, { origin: "LHR", destination: "JFK", currency: "GBP", days: 30, now });
      expect(history).toHaveLength(observedDays);
      for (const point of history) {
        expect(point.minMinor).toBeLessThanOrEqual(point.avgMinor);
        expect(point.avgMinor).toBeLessThanOrEqual(point.maxMinor);
      }
      const [{ providers } = { providers: [] as string[] }] = await queryRows<{ providers: string[] }>(
        db,
        "SELECT array_agg(DISTINCT provider ORDER BY provider) AS providers FROM price_snapshot WHERE origin = 'SYD'",
      );
      expect(providers).toEqual(["farefinder", "skyway"]);

      const again = await seedDemoHistory({ db, reference: reference() }, { days: 4, routes: [["LHR", "JFK"], ["SYD", "MEL"]], now });
      expect(again.snapshots).toBe(0);
    });
  },
  { seed: true },
);
