import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { describeEachEngine, sharedReferenceData } from "@/test/engines";
import { loadReferenceData, referenceDataIsCurrent } from "./reference";
import type { ReferenceData } from "./reference-data";

describe("buildReferenceData", () => {
  let data: ReferenceData;
  beforeAll(async () => {
    data = await sharedReferenceData();
  });

  it("keeps airports with an IATA code and scheduled service, with zone, coordinates and country", () => {
    expect(data.airports.length).toBeGreaterThan(4000);
    const lhr = data.airports.find((a) => a.code === "LHR");
    expect(lhr).toMatchObject({
      name: "London Heathrow Airport",
      city: "London",
      countryCode: "GB",
      countryName: "United Kingdom",
      timeZone: "Europe/London",
      type: "large_airport",
      sizeRank: 0,
      metroCode: "LON",
      icaoCode: "EGLL",
    });
    expect(lhr!.latitude).toBeCloseTo(51.47, 1);
    expect(lhr!.longitude).toBeCloseTo(-0.45, 1);
    expect(data.airports.find((a) => a.code === "GRU")?.city).toBe("São Paulo");
    expect(data.airports.find((a) => a.code === "NRT")?.city).toBe("Tokyo");
  });

  it("gives every airport a unique code and a time zone this runtime knows", () => {
    const codes = new Set(data.airports.map((a) => a.code));
    expect(codes.size).toBe(data.airports.length);
    for (const airport of data.airports) {
      expect(airport.code).toMatch(/^[A-Z]{3}$/);
      expect(() => new Intl.DateTimeFormat("en", { timeZone: airport.timeZone })).not.toThrow();
      expect(Math.abs(airport.latitude)).toBeLessThanOrEqual(90);
    }
    // Most airports get a city from Open Travel Data; the rest have none rather than a wrong one.
    expect(data.airports.filter((a) => a.city).length / data.airports.length).toBeGreaterThan(0.85);
  });

  it("maps the common metropolitan codes to their airports, and never shadows an airport code", () => {
    const members = (code: string) => data.airports.filter((a) => a.metroCode === code).map((a) => a.code).sort();
    expect(members("LON")).toEqual(["LCY", "LGW", "LHR", "LTN", "SEN", "STN"]);
    expect(members("NYC")).toEqual(["EWR", "JFK", "LGA"]);
    expect(members("PAR")).toEqual(expect.arrayContaining(["CDG", "ORY"]));
    for (const code of ["LON", "NYC", "PAR", "TYO", "CHI", "WAS", "MIL", "ROM", "STO", "MOW"]) {
      expect(data.metros.map((m) => m.code)).toContain(code);
      expect(members(code).length).toBeGreaterThanOrEqual(2);
    }
    const airportCodes = new Set(data.airports.map((a) => a.code));
    for (const metro of data.metros) expect(airportCodes.has(metro.code)).toBe(false);
  });

  it("keeps active airlines with IATA designators, passenger airline over its cargo arm", () => {
    const byCode = new Map(data.airlines.map((a) => [a.code, a]));
    expect(byCode.get("BA")).toMatchObject({ name: "British Airways", icaoCode: "BAW", countryCode: "GB" });
    expect(byCode.get("LH")?.name).toBe("Lufthansa");
    expect(byCode.get("SQ")?.name).toBe("Singapore Airlines");
    expect(byCode.get("AF")?.countryCode).toBe("FR");
    expect(data.airlines.length).toBeGreaterThan(800);
    for (const airline of data.airlines) expect(airline.code).toMatch(/^[A-Z0-9]{2}$/);
  });

  it("indexes each place under its code, city, name words and country, without filler words", () => {
    const termsOf = (code: string) => new Map(data.searchTerms.filter((t) => t.code === code).map((t) => [t.term, t.weight]));
    const lhr = termsOf("LHR");
    expect(lhr.get("lhr")).toBe(100);
    expect(lhr.get("london")).toBe(80);
    expect(lhr.get("heathrow")).toBe(60);
    expect(lhr.get("egll")).toBe(40);
    expect(lhr.get("kingdom")).toBe(20);
    expect(lhr.has("airport")).toBe(false);
    expect(termsOf("ZRH").get("zurich")).toBe(80);
    expect(termsOf("LON").get("lon")).toBe(100);
  });
});

describeEachEngine("loadReferenceData", ({ database }) => {
  async function fingerprint() {
    const [row] = await queryRows<{ airports: string; airlines: string; metros: string; terms: string }>(
      database().db,
      `SELECT
        (SELECT md5(string_agg(a::text, '|' ORDER BY code)) FROM airport a) AS airports,
        (SELECT md5(string_agg(a::text, '|' ORDER BY code)) FROM airline a) AS airlines,
        (SELECT md5(string_agg(m::text, '|' ORDER BY code)) FROM metro_area m) AS metros,
        (SELECT md5(string_agg(t::text, '|' ORDER BY term, code)) FROM place_search_term t) AS terms`,
    );
    return row;
  }

  it("loads the data it was given, and says it is current", async () => {
    const data = await sharedReferenceData();
    const [counts] = await queryRows<{ airports: number; airlines: number; metros: number; terms: number }>(
      database().db,
      `SELECT (SELECT count(*) FROM airport)::int AS airports, (SELECT count(*) FROM airline)::int AS airlines,
              (SELECT count(*) FROM metro_area)::int AS metros, (SELECT count(*) FROM place_search_term)::int AS terms`,
    );
    expect(counts).toEqual({
      airports: data.airports.length,
      airlines: data.airlines.length,
      metros: data.metros.length,
      terms: data.searchTerms.length,
    });
    expect(await referenceDataIsCurrent(database().db)).toBe(true);
  });

  it("is idempotent: loading again leaves exactly the same rows, timestamps included", async () => {
    const before = await fingerprint();
    await loadReferenceData(database().db, await sharedReferenceData());
    expect(await fingerprint()).toEqual(before);
  });

  it("updates a changed row and touches only that one", async () => {
    const db = database().db;
    await queryRows(db, "UPDATE airport SET name = 'Renamed' WHERE code = 'LHR'");
    const [{ stamp: before } = { stamp: "" }] = await queryRows<{ stamp: string }>(
      db,
      "SELECT updated_at::text AS stamp FROM airport WHERE code = 'JFK'",
    );
    await loadReferenceData(db, await sharedReferenceData());
    const rows = await queryRows<{ code: string; name: string; stamp: string }>(
      db,
      "SELECT code, name, updated_at::text AS stamp FROM airport WHERE code IN ('LHR', 'JFK') ORDER BY code",
    );
    expect(rows[1]).toMatchObject({ code: "LHR", name: "London Heathrow Airport" });
    expect(rows[0]).toMatchObject({ code: "JFK", stamp: before });
  });
}, { seed: true });
