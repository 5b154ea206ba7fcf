import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { describeEachEngine } from "@/test/engines";
import { placeSearchQuery } from "@/db/queries/places";
import { placeOf } from "@/server/core/places";
import { searchPlaces } from "./search-places";

describeEachEngine("searchPlaces", ({ database }) => {
  const codes = async (query: string, limit?: number) => (await searchPlaces(database(), query, { limit })).map((p) => p.code);

  it("puts an exact code first, whatever the case", async () => {
    for (const query of ["LHR", "lhr", " Lhr "]) expect((await codes(query))[0]).toBe("LHR");
    expect((await codes("JFK"))[0]).toBe("JFK");
  });

  it("offers the metro code first for a city, then its airports, large ones first", async () => {
    const results = await searchPlaces(database(), "london");
    expect(results[0]).toMatchObject({ kind: "metro", code: "LON", name: "London", countryCode: "GB" });
    expect(results[0]!.airports.slice(0, 3)).toEqual(["LHR", "LGW", "STN"]);
    expect(results.slice(1, 3).map((r) => r.code)).toEqual(["LHR", "LGW"]);
    expect(results.slice(1).every((r) => r.kind === "airport")).toBe(true);
  });

  it("matches every word as a prefix: 'new yo' finds New York", async () => {
    const results = await codes("new yo");
    expect(results[0]).toBe("NYC");
    expect(results).toEqual(expect.arrayContaining(["JFK", "LGA", "EWR"]));
  });

  it("ignores accents and case", async () => {
    const plain = await codes("zurich");
    expect(plain[0]).toBe("ZRH");
    expect(await codes("ZÜRICH")).toEqual(plain);
    expect(await codes("Zürich")).toEqual(plain);
    expect((await codes("são paulo"))[0]).toBe("SAO");
    expect(await codes("sao paulo")).toEqual(await codes("SÃO PAULO"));
  });

  it("finds an airport by a word of its name and by its ICAO code", async () => {
    expect((await codes("heathrow"))[0]).toBe("LHR");
    expect((await codes("schiphol"))[0]).toBe("AMS");
    expect((await codes("egll"))[0]).toBe("LHR");
  });

  it("lists a country's airports, large ones first", async () => {
    const results = await searchPlaces(database(), "germany", { limit: 20 });
    expect(results).toHaveLength(20);
    expect(results.every((r) => r.countryCode === "DE")).toBe(true);
    expect(results.slice(0, 3).map((r) => r.code)).toEqual(expect.arrayContaining(["FRA", "MUC"]));
  });

  it("honours the limit, and caps it", async () => {
    expect(await codes("a", 3)).toHaveLength(3);
    expect((await codes("a", 500)).length).toBeLessThanOrEqual(50);
  });

  it("returns nothing for empty, unknown or hostile input, without error", async () => {
    for (const query of ["", "   ", "--", "xqzxqzxq", "'; DROP TABLE airport; --", "%", "_", "\\", "a".repeat(10_000)]) {
      await expect(searchPlaces(database(), query)).resolves.toEqual(expect.any(Array));
    }
    expect(await codes("xqzxqzxq")).toEqual([]);
    expect(await codes("%")).toEqual([]);
    const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(database().db, "SELECT count(*)::int AS n FROM airport");
    expect(n).toBeGreaterThan(4000);
  });

  it("reads the search-term index instead of scanning the table", async () => {
    const plan = await queryRows<{ "QUERY PLAN": string }>(database().db, sql`EXPLAIN ${placeSearchQuery(["lon"], 10)}`);
    const text = plan.map((row) => Object.values(row)[0]).join("\n");
    expect(text).toMatch(/(Index (Only )?Scan using|Bitmap Index Scan on) place_search_term_pk/);
    expect(text).not.toMatch(/Seq Scan on place_search_term/);
  });
}, { seed: true });

describeEachEngine("placeOf", ({ reference }) => {
  it("resolves airport and metro codes from the reference data in memory, and nothing else", async () => {
    const market = reference();
    expect(placeOf(market, "LHR")).toMatchObject({ kind: "airport", code: "LHR", timeZone: "Europe/London", countryName: "United Kingdom" });
    const nyc = placeOf(market, "NYC");
    expect(nyc).toMatchObject({ kind: "metro", code: "NYC", name: "New York", countryCode: "US", timeZone: null });
    expect(nyc!.airports).toEqual(["JFK", "EWR", "LGA"]);
    expect(placeOf(market, "LON")!.airports.slice(0, 2)).toEqual(["LHR", "LGW"]);
    expect(placeOf(market, "XXX")).toBeNull();
    expect(placeOf(market, "lhr")).toBeNull();
  });
}, { seed: true });
