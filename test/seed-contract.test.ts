import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { SEED_CONTRACT_DIR, seedSchemaErrors } from "./seed-openapi";

const original = path.resolve(import.meta.dirname, "../../shared/seed-contract");

it.skipIf(!fs.existsSync(original))("the copy of the seed contract is the contract", () => {
  for (const file of ["openapi.yaml", "schema.graphql", "search-response.example.json"]) {
    expect(fs.readFileSync(path.join(SEED_CONTRACT_DIR, file), "utf8"), file).toBe(fs.readFileSync(path.join(original, file), "utf8"));
  }
});

it("holds answers to the contract's schema, which its own example breaks only in the duration's form", () => {
  const example = JSON.parse(fs.readFileSync(path.join(SEED_CONTRACT_DIR, "search-response.example.json"), "utf8"));
  // The schema says `format: duration` (ISO 8601, "PT8H30M"); the example writes "08:30:00".
  // The app answers the schema's form.
  expect(seedSchemaErrors("FlightSearchResponse", example)).toEqual(['/flights/0/duration must match format "duration"']);
  const flight = { ...example.flights[0], duration: "PT8H30M" };
  expect(seedSchemaErrors("FlightSearchResponse", { ...example, flights: [flight] })).toEqual([]);
  expect(seedSchemaErrors("Flight", { ...flight, duration: 510 })).not.toEqual([]);
  expect(seedSchemaErrors("Flight", { ...flight, duration: "PT8H30M" })).toEqual([]);
  expect(seedSchemaErrors("Flight", { ...flight, deepLink: null })).not.toEqual([]);
});
