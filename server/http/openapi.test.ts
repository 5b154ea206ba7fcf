import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { SEED_CONTRACT_DIR } from "@/test/seed-openapi";
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

  it("documents who may call the public endpoints, and their refusals: 401, 403, and 429 with Retry-After", () => {
    const document = openApiDocument();
    for (const path of ["/api/v1/flights/search", "/api/v1/airports"] as const) {
      const operation = document.paths[path].get;
      expect(operation.security, path).toEqual([{}, { apiKey: ["search"] }, { session: [] }]);
      expect(Object.keys(operation.responses), path).toEqual(expect.arrayContaining(["200", "400", "401", "403", "429", "503"]));
      expect(Object.keys(operation.responses["429"].headers), path).toEqual(["Retry-After", "RateLimit-Limit", "RateLimit-Remaining"]);
      expect(Object.keys(operation.responses["200"].headers ?? {}), path).toEqual(expect.arrayContaining(["RateLimit-Limit", "RateLimit-Remaining"]));
    }
  });

  it("resolves every reference to a component it defines", () => {
    const text = JSON.stringify(openApiDocument());
    const refs = [...text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    const defined = Object.keys(openApiDocument().components.schemas);
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) expect(defined).toContain(ref);
  });

  it("documents the seed contract's shapes: every field it requires required here too, with its type", () => {
    const ours = openApiDocument().components.schemas as Record<string, { required?: string[]; properties: Record<string, { type?: string; format?: string }> }>;
    const seed = parse(fs.readFileSync(path.join(SEED_CONTRACT_DIR, "openapi.yaml"), "utf8")).components.schemas as typeof ours;
    const pairs: [string, string][] = [["Flight", "Flight"], ["Airport", "AirportRef"], ["Money", "Price"], ["FlightSearchResponse", "FlightSearchResponse"], ["ErrorResponse", "Problem"]];
    for (const [name, mine] of pairs) {
      expect(ours[mine]!.required, name).toEqual(expect.arrayContaining(seed[name]!.required ?? []));
      for (const [field, spec] of Object.entries(seed[name]!.properties)) {
        expect(ours[mine]!.properties[field], `${name}.${field}`).toBeDefined();
        if (spec.type && spec.type !== "object") expect(ours[mine]!.properties[field]!.type, `${name}.${field}`).toBe(spec.type);
      }
    }
    expect(ours.Flight!.properties.duration).toMatchObject({ type: "string", format: "duration" });
  });
});
