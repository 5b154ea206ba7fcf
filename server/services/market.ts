import type { Db } from "@/db/client";
import { airline, airport } from "@/db/schema";
import { buildMarket, type Market } from "@/server/core/fare-model";

const markets = new WeakMap<Db, Promise<Market>>();

/**
 * The reference data as the simulated market sees it, read once per database handle (about
 * 5,500 rows). Reference data changes only when the seed runs, which restarts nothing; a
 * process restart picks up a new load.
 */
export function getMarket(db: Db): Promise<Market> {
  let market = markets.get(db);
  if (!market) {
    market = (async () => {
      const [airports, airlines] = await Promise.all([
        db
          .select({
            code: airport.code,
            name: airport.name,
            city: airport.city,
            countryCode: airport.countryCode,
            latitude: airport.latitude,
            longitude: airport.longitude,
            timeZone: airport.timeZone,
            sizeRank: airport.sizeRank,
          })
          .from(airport),
        db.select({ code: airline.code, name: airline.name, countryCode: airline.countryCode }).from(airline),
      ]);
      return buildMarket(airports, airlines);
    })();
    market.catch(() => markets.delete(db));
    markets.set(db, market);
  }
  return market;
}
