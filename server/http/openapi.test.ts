import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { restSearchParams } from "@/server/core/search-query";
import { openApiDocument } from "./openapi";

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(openApiDocument());
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("describes the search with exactly the endpoint's parameters, and these required", () => {
    const operation = openApiDocument().paths["/api/v1/flights/search"].get;
    const names = operation.parameters.map((p) => p.name);
    expect(names).toEqual(Object.keys(restSearchParams));
    expect(operation.parameters.filter((p) => p.required).map((p) => p.name)).toEqual(["originCode", "destinationCode", "departureDate"]);
    expect(operation.parameters.every((p) => typeof p.description === "string" && p.description.length > 10)).toBe(true);
  });

  it("resolves every reference to a component it defines", () => {
    const text = JSON.stringify(openApiDocument());
    const refs = [...text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    const defined = Object.keys(openApiDocument().components.schemas);
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) expect(defined).toContain(ref);
  });

  it("documents the required Flight fields", () => {
    const flight = openApiDocument().components.schemas.Flight as { required: string[] };
    expect(flight.required).toEqual(
      expect.arrayContaining(["airlineCode", "airlineName", "flightNumber", "origin", "destination", "departureTime", "arrivalTime", "duration", "stops", "price", "cabin", "deepLink"]),
    );
  });
});
