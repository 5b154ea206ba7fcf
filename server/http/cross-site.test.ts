import { expect, it } from "vitest";
import { crossSiteRequest } from "./security";

const HOST = "flights.example.test:3000";

it.each<[string, Record<string, string>, boolean]>([
  ["a request that says nothing (curl, a program)", {}, false],
  ["the app's own page", { "sec-fetch-site": "same-origin", origin: `http://${HOST}` }, false],
  ["a typed address or a bookmark", { "sec-fetch-site": "none" }, false],
  ["the app's own origin, without Sec-Fetch-Site (an older browser)", { origin: `http://${HOST}` }, false],
  ["the app's own origin, its host in capitals", { origin: "http://FLIGHTS.example.test:3000" }, false],
  ["another site", { "sec-fetch-site": "cross-site" }, true],
  ["a sibling site (another subdomain)", { "sec-fetch-site": "same-site" }, true],
  ["another origin, without Sec-Fetch-Site", { origin: "https://evil.example" }, true],
  ["the same host on another port", { origin: "http://flights.example.test:4000" }, true],
  ["a sandboxed frame or a redirect across sites (Origin: null)", { origin: "null" }, true],
  ["an Origin that is not one", { origin: "not a url" }, true],
  ["same-origin by Sec-Fetch-Site but another Origin", { "sec-fetch-site": "same-origin", origin: "https://evil.example" }, true],
])("%s: cross-site %s", (_, headers, expected) => {
  expect(crossSiteRequest(new Headers(headers), HOST)).toBe(expected);
});

it("counts an Origin as cross-site when the request names no host to compare it with", () => {
  expect(crossSiteRequest(new Headers({ origin: `http://${HOST}` }), null)).toBe(true);
  expect(crossSiteRequest(new Headers({}), null)).toBe(false);
});
