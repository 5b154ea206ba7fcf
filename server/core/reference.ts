import { countries } from "countries-list";

/**
 * The app's reference data in memory: airports, airlines and metro codes by code. Loaded from
 * the database once per process (db/queries/reference.ts, held by the app context), it resolves
 * codes and names on the hot path of every search and is the simulated market's world.
 */

export interface ReferenceAirport {
  code: string;
  name: string;
  city: string | null;
  countryCode: string;
  countryName: string;
  /** AF AN AS EU NA OC SA */
  continent: string;
  latitude: number;
  longitude: number;
  timeZone: string;
  /** 0 large, 1 medium, 2 small, 3 seaplane base */
  sizeRank: number;
}

export interface ReferenceAirline {
  code: string;
  name: string;
  countryCode: string | null;
}

/** A metropolitan code and the airports it stands for, largest first. */
export interface ReferenceMetro {
  code: string;
  name: string;
  countryCode: string;
  countryName: string;
  airports: string[];
}

export interface Reference {
  airports: Map<string, ReferenceAirport>;
  airlines: Map<string, ReferenceAirline>;
  metros: Map<string, ReferenceMetro>;
}

export interface AirportRowLike {
  code: string;
  name: string;
  city: string | null;
  countryCode: string;
  countryName: string;
  latitude: number;
  longitude: number;
  timeZone: string;
  sizeRank: number;
  metroCode?: string | null;
  longestRunwayFt?: number | null;
}

export interface AirlineRowLike {
  code: string;
  name: string;
  countryCode: string | null;
}

export interface MetroRowLike {
  code: string;
  name: string;
  countryCode: string;
  countryName: string;
}

const continentOf = (countryCode: string) => (countries as Record<string, { continent?: string }>)[countryCode]?.continent ?? "";

/** Reference data from table rows. Metro members come from the airports' metroCode, largest first. */
export function buildReference(airports: AirportRowLike[], airlines: AirlineRowLike[], metros: MetroRowLike[] = []): Reference {
  const members = (code: string) =>
    airports
      .filter((a) => a.metroCode === code)
      .sort((x, y) => x.sizeRank - y.sizeRank || (y.longestRunwayFt ?? 0) - (x.longestRunwayFt ?? 0) || x.code.localeCompare(y.code))
      .map((a) => a.code);
  return {
    metros: new Map<string, ReferenceMetro>(metros.map((m) => [m.code, { ...m, airports: members(m.code) }])),
    airports: new Map<string, ReferenceAirport>(
      airports.map((a) => [
        a.code,
        {
          code: a.code,
          name: a.name,
          city: a.city,
          countryCode: a.countryCode,
          countryName: a.countryName,
          continent: continentOf(a.countryCode),
          latitude: a.latitude,
          longitude: a.longitude,
          timeZone: a.timeZone,
          sizeRank: a.sizeRank,
        },
      ]),
    ),
    airlines: new Map<string, ReferenceAirline>(airlines.map((a) => [a.code, { code: a.code, name: a.name, countryCode: a.countryCode }])),
  };
}
