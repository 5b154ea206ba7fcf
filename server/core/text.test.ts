import { describe, expect, it } from "vitest";
import { normalizeSearchText, placeName, searchWords } from "./text";

describe("normalizeSearchText", () => {
  it.each([
    ["São Paulo–Guarulhos", "sao paulo guarulhos"],
    ["ZÜRICH", "zurich"],
    ["Kraków", "krakow"],
    ["Łódź", "lodz"],
    ["Tromsø", "tromso"],
    ["Reykjavík", "reykjavik"],
    ["  Düsseldorf  International ", "dusseldorf international"],
    ["Nice Côte d'Azur", "nice cote d azur"],
    ["İstanbul", "istanbul"],
    ["Straße", "strasse"],
    ["'; DROP TABLE airport; --", "drop table airport"],
    ["", ""],
  ])("%s -> %s", (input, expected) => {
    expect(normalizeSearchText(input)).toBe(expected);
  });

  it("splits into distinct words", () => {
    expect(searchWords("New  York, new")).toEqual(["new", "york"]);
    expect(searchWords(" -- ")).toEqual([]);
  });
});

describe("placeName", () => {
  it("names the city unless the airport's name says it, and metro codes as all airports", () => {
    expect(placeName({ name: "Gatwick Airport", city: "London" })).toBe("Gatwick Airport, London");
    expect(placeName({ name: "London Heathrow Airport", city: "London" })).toBe("London Heathrow Airport");
    expect(placeName({ name: "Somewhere", city: null })).toBe("Somewhere");
    expect(placeName({ kind: "metro", name: "London", city: "London" })).toBe("London (all airports)");
  });
});
