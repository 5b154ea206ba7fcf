import type { Db } from "@/db/client";
import { airline, airport, metroArea } from "@/db/schema";
import { buildMarket, type Market } from "@/server/core/fare-model";
import type { Offer } from "@/server/core/offer";
import { placeName } from "@/server/core/text";
import type { PlaceSuggestion } from "@/server/services/airports";

const markets = new WeakMap<Db, Promise<Market>>();

/**
 * The reference data in memory, read once per database handle (about 5,500 rows): the
 * simulated market's world, and what resolves codes and names on the hot path of a search. Reference data changes only when the seed runs, which restarts nothing; a
 * process restart picks up a new load.
 */
export function getMarket(db: Db): Promise<Market> {
  let market = markets.get(db);
  if (!market) {
    market = (async () => {
      const [airports, airlines, metros] = await Promise.all([
        db
          .select({
            code: airport.code,
            name: airport.name,
            city: airport.city,
            countryCode: airport.countryCode,
            countryName: airport.countryName,
            latitude: airport.latitude,
            longitude: airport.longitude,
            timeZone: airport.timeZone,
            sizeRank: airport.sizeRank,
            longestRunwayFt: airport.longestRunwayFt,
            metroCode: airport.metroCode,
          })
          .from(airport),
        db.select({ code: airline.code, name: airline.name, countryCode: airline.countryCode }).from(airline),
        db.select().from(metroArea),
      ]);
      return buildMarket(airports, airlines, metros);
    })();
    market.catch(() => markets.delete(db));
    markets.set(db, market);
  }
  return market;
}

/** An airport or metro code from the reference data held in memory: no database round trip. */
export function placeFromMarket(market: Market, code: string): PlaceSuggestion | null {
  const airport = market.airports.get(code);
  if (airport) {
    return {
      kind: "airport",
      code,
      name: airport.name,
      city: airport.city,
      countryCode: airport.countryCode,
      countryName: airport.countryName,
      timeZone: airport.timeZone,
      airports: [],
    };
  }
  const metro = market.metros.get(code);
  if (!metro) return null;
  return { kind: "metro", code, name: metro.name, city: metro.name, countryCode: metro.countryCode, countryName: metro.countryName, timeZone: null, airports: metro.airports };
}

/** Names of the airlines and airports the offers mention, for a page to show. */
export function offerNames(market: Market, offers: Offer[]): { airlines: Record<string, string>; airports: Record<string, string> } {
  const airlines: Record<string, string> = {};
  const airports: Record<string, string> = {};
  for (const offer of offers) {
    for (const slice of offer.slices) {
      for (const segment of slice.segments) {
        airlines[segment.carrier] ??= market.airlines.get(segment.carrier)?.name ?? segment.carrier;
        for (const code of [segment.origin, segment.destination]) {
          const airport = market.airports.get(code);
          airports[code] ??= airport ? placeName(airport) : code;
        }
      }
    }
  }
  return { airlines, airports };
}

/** The airports a place stands for: itself, or every airport of a metro code. */
export function airportsOf(place: PlaceSuggestion): string[] {
  return place.kind === "metro" ? place.airports : [place.code];
}
