import { expect, it } from "vitest";
import { routeCsvHref, routeHref, safeReturnPath, searchHref, signInHref } from "./links";

it("builds a results URL from the search's parameters, in order", () => {
  expect(searchHref({ originCode: "LHR", destinationCode: "JFK", departureDate: "2027-01-15" })).toBe("/search?originCode=LHR&destinationCode=JFK&departureDate=2027-01-15");
  expect(searchHref([["originCode", "LON"], ["nojs", "1"]])).toBe("/search?originCode=LON&nojs=1");
});

it("leaves a route page's defaults out of its URL", () => {
  const route = { origin: "LHR", destination: "JFK" };
  expect(routeHref(route)).toBe("/routes/LHR-JFK");
  expect(routeHref(route, { cabin: "economy", days: 90 })).toBe("/routes/LHR-JFK");
  expect(routeHref(route, { date: "2027-01-15", cabin: "business", days: 30 })).toBe("/routes/LHR-JFK?date=2027-01-15&days=30&cabin=business");
  expect(routeCsvHref(route, { days: 180, cabin: "economy", departureDate: "2027-01-15" })).toBe("/routes/LHR-JFK/snapshots.csv?days=180&cabin=economy&departureDate=2027-01-15");
});

it("comes back after signing in only to a path on this site", () => {
  expect(safeReturnPath("/account")).toBe("/account");
  expect(safeReturnPath("/search?originCode=LHR&destinationCode=JFK")).toBe("/search?originCode=LHR&destinationCode=JFK");
  for (const away of ["//evil.example/x", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", "account", "/a\nb", "/a\\b", "", null, undefined, `/${"a".repeat(2001)}`]) {
    expect(safeReturnPath(away)).toBe("/");
  }
  expect(signInHref("/account")).toBe("/sign-in?callbackUrl=%2Faccount");
  expect(signInHref("//evil.example")).toBe("/sign-in");
  expect(signInHref()).toBe("/sign-in");
});
