import { expect, it } from "vitest";
import { schemaErrors } from "@/test/openapi";
import { noSuchEndpoint, otherMethods } from "./methods";

it("refuses the methods a route does not serve with 405, Allow and problem details", async () => {
  const handlers = otherMethods("GET");
  expect(Object.keys(handlers).sort()).toEqual(["DELETE", "PATCH", "POST", "PUT"]);
  const response = await handlers.POST(new Request("http://x/api/v1/airports?q=lon", { method: "POST" }));
  expect(response.status).toBe(405);
  expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const body = await response.json();
  expect(schemaErrors("Problem", body)).toEqual([]);
  expect(body.detail).toMatch(/POST is not allowed here/);
  expect(Object.keys(otherMethods("GET", "POST")).sort()).toEqual(["DELETE", "PATCH", "PUT"]);
});

it("answers a path no route serves with a 404 in problem details", async () => {
  const response = await noSuchEndpoint(new Request("http://x/api/v1/flights"));
  expect(response.status).toBe(404);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  expect((await response.json()).detail).toMatch(/no API endpoint at \/api\/v1\/flights/);
});
