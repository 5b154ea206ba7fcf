import type { Db } from "@/db/client";
import { airline, airport, metroArea } from "@/db/schema";
import { buildReference, type Reference } from "@/server/core/reference";

/**
 * The reference data into memory (about 5,500 rows). The app context reads it once per
 * process: it changes only when the seed runs, and a restart picks up a new load.
 */
export async function loadReference(db: Db): Promise<Reference> {
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
  return buildReference(airports, airlines, metros);
}
