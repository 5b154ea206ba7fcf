import { describe, expect, it } from "vitest";
import { cabinValues, providerStatusValues } from "@/db/schema";
import { CABINS } from "./offer";
import { PROVIDER_STATUSES } from "./provider-report";

describe("cabins", () => {
  it("are the same in the domain and in the database enum", () => {
    expect([...cabinValues]).toEqual([...CABINS]);
  });
});

it("has the database's provider statuses", () => {
  expect([...providerStatusValues]).toEqual([...PROVIDER_STATUSES]);
});
