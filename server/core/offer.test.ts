import { describe, expect, it } from "vitest";
import { cabinValues, providerStatusValues, roleValues } from "@/db/schema";
import { ROLES } from "./roles";
import { CABINS } from "./offer";
import { RECORDED_PROVIDER_STATUSES } from "./provider-report";

describe("cabins", () => {
  it("are the same in the domain and in the database enum", () => {
    expect([...cabinValues]).toEqual([...CABINS]);
  });
});

it("has the database's provider statuses", () => {
  expect([...providerStatusValues]).toEqual([...RECORDED_PROVIDER_STATUSES]);
});

it("has the database's roles", () => {
  expect([...roleValues]).toEqual([...ROLES]);
});
