import { describe, expect, it } from "vitest";
import { cabinValues } from "@/db/schema";
import { CABINS } from "./offer";

describe("cabins", () => {
  it("are the same in the domain and in the database enum", () => {
    expect([...cabinValues]).toEqual([...CABINS]);
  });
});
