import { describe, expect, it } from "vitest";
import { badSearchRequests, goodSearchQuery } from "@/test/bad-search-requests";
import { parseRestSearch, searchInputSchema } from "./search-query";

describe("parseRestSearch", () => {
  it("parses a good request into the typed search input, with defaults", () => {
    const result = parseRestSearch(new URLSearchParams(goodSearchQuery));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.input).toMatchObject({
      originCode: "LHR",
      destinationCode: "JFK",
      cabins: ["economy", "business"],
      adults: 2,
      children: 1,
      infants: 1,
      currency: "GBP",
      sort: "cheapest",
      filters: { maxStops: 1 },
      limit: 20,
    });
    const minimal = parseRestSearch(new URLSearchParams(goodSearchQuery.split("&").slice(0, 3).join("&")));
    expect(minimal.ok && minimal.input).toMatchObject({ cabins: ["economy"], adults: 1, children: 0, infants: 0, sort: "best", filters: {} });
  });

  it("upper-cases codes and accepts lower-case input", () => {
    const result = parseRestSearch(new URLSearchParams(goodSearchQuery.replace("originCode=LHR", "originCode=lhr").replace("currency=GBP", "currency=gbp")));
    expect(result.ok && [result.input.originCode, result.input.currency]).toEqual(["LHR", "GBP"]);
  });

  const parserCases = badSearchRequests.filter((c) => !c.needsDb);
  it("covers at least 40 bad requests in the shared table", () => {
    expect(badSearchRequests.length).toBeGreaterThanOrEqual(40);
  });

  it.each(parserCases.map((c) => [c.name, c] as const))("rejects %s, naming the parameter", (_, c) => {
    const result = parseRestSearch(new URLSearchParams(c.query));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors)).toContain(c.field);
    expect(result.errors[c.field]!.every((m) => typeof m === "string" && m.length > 5)).toBe(true);
  });
});

describe("searchInputSchema (tRPC)", () => {
  it("applies the same rules to typed input", () => {
    const base = { originCode: "LHR", destinationCode: "LHR", departureDate: "2020-01-01", adults: 1, infants: 3 };
    const result = searchInputSchema.safeParse(base);
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["destinationCode", "departureDate", "infants"]));
    expect(searchInputSchema.safeParse({ ...base, bogus: 1 }).success).toBe(false);
  });
});

describe("parseRestSearch with several problems", () => {
  it("reports every bad field at once", () => {
    const result = parseRestSearch(new URLSearchParams("originCode=LHR&destinationCode=LHR&departureDate=2020-01-01&adults=0&sort=random"));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["adults", "departureDate", "destinationCode", "sort"]);
  });
});
