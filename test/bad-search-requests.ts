import { addDays } from "@/server/core/time";

/**
 * Bad REST search requests, each with the parameter its 400 must name. Cases marked `needsDb`
 * pass the query-string parser and are caught by the search service (unknown codes, ...).
 */
export interface BadRequestCase {
  name: string;
  query: string;
  field: string;
  needsDb?: boolean;
}

const today = new Date().toISOString().slice(0, 10);
const soon = addDays(today, 30);
const later = addDays(today, 37);
const base = `originCode=LHR&destinationCode=JFK&departureDate=${soon}`;
const without = (name: string) => base.split("&").filter((p) => !p.startsWith(`${name}=`)).join("&");

export const badSearchRequests: BadRequestCase[] = [
  { name: "no parameters at all", query: "", field: "originCode" },
  { name: "origin missing", query: without("originCode"), field: "originCode" },
  { name: "destination missing", query: without("destinationCode"), field: "destinationCode" },
  { name: "departure date missing", query: without("departureDate"), field: "departureDate" },
  { name: "origin empty", query: base.replace("originCode=LHR", "originCode="), field: "originCode" },
  { name: "origin too long", query: base.replace("originCode=LHR", "originCode=LHRX"), field: "originCode" },
  { name: "origin with digits", query: base.replace("originCode=LHR", "originCode=L1R"), field: "originCode" },
  { name: "origin with unicode letters", query: base.replace("originCode=LHR", "originCode=ÅÄÖ"), field: "originCode" },
  { name: "destination two letters", query: base.replace("destinationCode=JFK", "destinationCode=JF"), field: "destinationCode" },
  { name: "origin equals destination", query: base.replace("destinationCode=JFK", "destinationCode=LHR"), field: "destinationCode" },
  { name: "origin equals destination, other case", query: base.replace("destinationCode=JFK", "destinationCode=lhr"), field: "destinationCode" },
  { name: "unknown origin code", query: base.replace("originCode=LHR", "originCode=QQQ"), field: "originCode", needsDb: true },
  { name: "unknown destination code", query: base.replace("destinationCode=JFK", "destinationCode=ZZZ"), field: "destinationCode", needsDb: true },
  { name: "airport inside the origin's metro area", query: base.replace("destinationCode=JFK", "destinationCode=LON"), field: "destinationCode", needsDb: true },
  { name: "date in the wrong format", query: base.replace(`departureDate=${soon}`, "departureDate=15/01/2027"), field: "departureDate" },
  { name: "date that does not exist", query: base.replace(`departureDate=${soon}`, "departureDate=2027-02-30"), field: "departureDate" },
  { name: "date with a time", query: base.replace(`departureDate=${soon}`, `departureDate=${soon}T10:00`), field: "departureDate" },
  { name: "month 13", query: base.replace(`departureDate=${soon}`, "departureDate=2027-13-01"), field: "departureDate" },
  { name: "departure in the past", query: base.replace(`departureDate=${soon}`, `departureDate=${addDays(today, -3)}`), field: "departureDate" },
  { name: "departure more than 365 days ahead", query: base.replace(`departureDate=${soon}`, `departureDate=${addDays(today, 400)}`), field: "departureDate" },
  { name: "return before departure", query: `${base}&returnDate=${addDays(soon, -1)}`, field: "returnDate" },
  { name: "return more than 365 days ahead", query: `${base}&returnDate=${addDays(today, 370)}`, field: "returnDate" },
  { name: "return not a date", query: `${base}&returnDate=next-week`, field: "returnDate" },
  { name: "unknown cabin", query: `${base}&cabins=luxury`, field: "cabins" },
  { name: "one unknown cabin among good ones", query: `${base}&cabins=economy,pilot`, field: "cabins" },
  { name: "repeated cabin", query: `${base}&cabins=economy,economy`, field: "cabins" },
  { name: "empty cabins", query: `${base}&cabins=`, field: "cabins" },
  { name: "zero adults", query: `${base}&adults=0`, field: "adults" },
  { name: "ten adults", query: `${base}&adults=10`, field: "adults" },
  { name: "adults not a number", query: `${base}&adults=two`, field: "adults" },
  { name: "adults negative", query: `${base}&adults=-1`, field: "adults" },
  { name: "adults fractional", query: `${base}&adults=1.5`, field: "adults" },
  { name: "adults in exponent notation", query: `${base}&adults=1e1`, field: "adults" },
  { name: "more infants than adults", query: `${base}&adults=1&infants=2`, field: "infants" },
  { name: "more than 9 passengers", query: `${base}&adults=5&children=5`, field: "adults" },
  { name: "children negative", query: `${base}&children=-2`, field: "children" },
  { name: "unknown currency", query: `${base}&currency=XYZ`, field: "currency" },
  { name: "currency not a code", query: `${base}&currency=pounds`, field: "currency" },
  { name: "unknown sort", query: `${base}&sort=random`, field: "sort" },
  { name: "max stops out of range", query: `${base}&maxStops=7`, field: "maxStops" },
  { name: "airline code malformed", query: `${base}&airlines=BAW`, field: "airlines" },
  { name: "airline both included and excluded", query: `${base}&airlines=BA&excludeAirlines=BA`, field: "excludeAirlines" },
  { name: "time window not HH:MM", query: `${base}&departAfter=9am`, field: "departAfter" },
  { name: "time window at 24:00", query: `${base}&departBefore=24:00`, field: "departBefore" },
  { name: "time window inverted", query: `${base}&departAfter=18:00&departBefore=08:00`, field: "departBefore" },
  { name: "max duration too short", query: `${base}&maxDuration=5`, field: "maxDuration" },
  { name: "max price negative", query: `${base}&maxPrice=-100`, field: "maxPrice" },
  { name: "max price with three decimals", query: `${base}&maxPrice=10.123`, field: "maxPrice" },
  { name: "limit zero", query: `${base}&limit=0`, field: "limit" },
  { name: "limit too large", query: `${base}&limit=5000`, field: "limit" },
  { name: "cursor that was never issued", query: `${base}&cursor=bm90LWEtY3Vyc29y`, field: "cursor", needsDb: true },
  { name: "repeated origin", query: `${base}&originCode=LGW`, field: "originCode" },
  { name: "repeated adults", query: `${base}&adults=1&adults=2`, field: "adults" },
  { name: "oversized parameter", query: `${base}&airlines=${"BA,".repeat(150)}BA`, field: "airlines" },
  { name: "unknown parameter", query: `${base}&passengers=2`, field: "passengers" },
  { name: "misspelt parameter", query: `${base}&orign=LGW`, field: "orign" },
  { name: "SQL injection in a code", query: base.replace("originCode=LHR", "originCode=" + encodeURIComponent("' OR 1=1 --")), field: "originCode" },
  { name: "SQL injection in a date", query: base.replace(`departureDate=${soon}`, "departureDate=" + encodeURIComponent("2027-01-01'; DROP TABLE price_snapshot; --")), field: "departureDate" },
  { name: "script in a parameter", query: `${base}&sort=${encodeURIComponent("<script>alert(1)</script>")}`, field: "sort" },
  { name: "null byte", query: base.replace("originCode=LHR", "originCode=LH%00"), field: "originCode" },
  { name: "null byte in free text (the cursor)", query: `${base}&cursor=abc%00def`, field: "cursor" },
  { name: "escape character in a value", query: `${base}&sort=best%1B`, field: "sort" },
  { name: "line break in a value", query: `${base}&currency=GBP%0A`, field: "currency" },
];

/** A good request, for contrast. */
export const goodSearchQuery = `${base}&returnDate=${later}&cabins=economy,business&adults=2&children=1&infants=1&currency=GBP&sort=cheapest&maxStops=1`;
