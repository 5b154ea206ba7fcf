import { describe, expect, it } from "vitest";
import { normalizeSearchText, searchWords } from "./text";

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
