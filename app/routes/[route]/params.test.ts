import { expect, it } from "vitest";
import { parseRoutePageQuery } from "./params";

const parse = (query: string) => parseRoutePageQuery(new URLSearchParams(query));

it("reads date, days and cabin with the procedures' defaults", () => {
  expect(parse("")).toEqual({ ok: true, query: { cabin: "economy", days: 90 } });
  expect(parse("date=2027-03-01&days=30&cabin=business")).toEqual({ ok: true, query: { cabin: "business", days: 30, departureDate: "2027-03-01" } });
  // An empty value (a form's blank field) is no value.
  expect(parse("date=&cabin=")).toEqual({ ok: true, query: { cabin: "economy", days: 90 } });
});

it.each([
  ["date=2026-02-30", "date"],
  ["date=9999-99-99", "date"],
  ["date=not-a-date", "date"],
  ["days=abc", "days"],
  ["days=-30", "days"],
  ["days=45", "days"],
  ["cabin=luxury", "cabin"],
])("names the parameter that is wrong: %s", (query, field) => {
  const result = parse(query);
  expect(result.ok).toBe(false);
  if (!result.ok) expect(Object.keys(result.errors)).toEqual([field]);
});
