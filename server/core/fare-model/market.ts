import { countries } from "countries-list";
import type { Market, MarketAirline, MarketAirport, MarketMetro } from "./inventory";

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
}

export interface AirlineRowLike {
  code: string;
  name: string;
  countryCode: string | null;
}

const continentOf = (countryCode: string) => (countries as Record<string, { continent?: string }>)[countryCode]?.continent ?? "";

export interface MetroRowLike {
  code: string;
  name: string;
  countryCode: string;
  countryName: string;
}

/** The market's view of the reference data. Metro members come from the airports' metroCode. */
export function buildMarket(
  airports: (AirportRowLike & { metroCode?: string | null; longestRunwayFt?: number | null })[],
  airlines: AirlineRowLike[],
  metros: MetroRowLike[] = [],
): Market {
  const members = (code: string) =>
    airports
      .filter((a) => a.metroCode === code)
      .sort((x, y) => x.sizeRank - y.sizeRank || (y.longestRunwayFt ?? 0) - (x.longestRunwayFt ?? 0) || x.code.localeCompare(y.code))
      .map((a) => a.code);
  return {
    metros: new Map<string, MarketMetro>(metros.map((m) => [m.code, { ...m, airports: members(m.code) }])),
    airports: new Map<string, MarketAirport>(
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
    airlines: new Map<string, MarketAirline>(airlines.map((a) => [a.code, { code: a.code, name: a.name, countryCode: a.countryCode }])),
  };
}
