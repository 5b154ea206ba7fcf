import { countries } from "countries-list";
import type { Market, MarketAirline, MarketAirport } from "./inventory";

export interface AirportRowLike {
  code: string;
  name: string;
  city: string | null;
  countryCode: string;
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

/** The market's view of the reference data. */
export function buildMarket(airports: AirportRowLike[], airlines: AirlineRowLike[]): Market {
  return {
    airports: new Map<string, MarketAirport>(
      airports.map((a) => [
        a.code,
        {
          code: a.code,
          name: a.name,
          city: a.city,
          countryCode: a.countryCode,
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
