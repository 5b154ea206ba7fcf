import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { API_ROUTES, OTHER_ROUTE, routeOf } from "./api-routes";

/** Every route folder under app/api, as its path pattern. */
function routeFiles(dir = "app/api"): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [`/${path.relative("app", dir).split(path.sep).join("/")}`] : [];
  });
}

describe("the route label of the HTTP metrics", () => {
  it("knows every route under app/api (add a new one to API_ROUTES in server/observability/api-routes.ts)", () => {
    const files = routeFiles();
    expect(files.length).toBeGreaterThan(30);
    expect(files.filter((route) => !(API_ROUTES as readonly string[]).includes(route))).toEqual([]);
    // Each route file is counted under its own pattern, not a more general one.
    for (const route of files) expect(routeOf(route.replaceAll(/\[\.\.\.\w+\]/g, "a/b").replaceAll(/\[\w+\]/g, "4f2c")), route).toBe(route);
  });

  it.each([
    ["/api/v1/tracked-routes/0b8f6a4e-6f0e-4c43-9d5b-3b8f2f7c1a11", "/api/v1/tracked-routes/[id]"],
    ["/api/v1/tracked-routes/42/alert-rules", "/api/v1/tracked-routes/[id]/alert-rules"],
    ["/api/v1/tracked-routes/", "/api/v1/tracked-routes"],
    ["/api/v1/notifications/read", "/api/v1/notifications/read"],
    ["/api/v1/notifications/n_1", "/api/v1/notifications/[id]"],
    ["/api/trpc/search.flights,airports.search", "/api/trpc/[trpc]"],
    ["/api/auth/callback/github", "/api/auth/[...nextauth]"],
    ["/api/metrics", "/api/metrics"],
    ["/api/v1/flights/search/extra", "/api/[...path]"],
    ["/api/wp-login.php", "/api/[...path]"],
    ["/api", OTHER_ROUTE],
    ["/search", OTHER_ROUTE],
  ])("%s is counted as %s", (pathname, route) => {
    expect(routeOf(pathname)).toBe(route);
  });
});
