import { describe, expect, it } from "vitest";
import { providerQuery } from "@/test/fixtures";
import { createProviders, DEFAULT_RESILIENCE, resolveProviderIds } from "./registry";

describe("resolveProviderIds", () => {
  it.each([
    [undefined, false, ["skyway", "farefinder"]],
    [undefined, true, ["duffel"]],
    ["simulated", true, ["skyway", "farefinder"]],
    ["simulated,duffel", true, ["skyway", "farefinder", "duffel"]],
    [" Skyway , skyway ", false, ["skyway"]],
  ] as const)("PROVIDERS=%s, Duffel token %s -> %j", (spec, hasDuffel, ids) => {
    expect(resolveProviderIds(spec, hasDuffel)).toEqual(ids);
  });

  it("names what is wrong", () => {
    expect(() => resolveProviderIds("simulated,kayak", false)).toThrow(/unknown providers \(kayak\)/);
    expect(() => resolveProviderIds("duffel", false)).toThrow(/DUFFEL_ACCESS_TOKEN/);
  });
});

describe("createProviders", () => {
  it("builds each provider behind its own resilience wrapper, with the knobs applied", async () => {
    const providers = createProviders(
      { providers: "simulated", simulatedLatencyMs: "0", simulatedErrorRate: 0, simulatedTimeoutRate: 0, simulatedFail: "farefinder", resilience: DEFAULT_RESILIENCE },
      { loadReference: async () => ({ airports: new Map(), airlines: new Map(), metros: new Map() }) },
    );
    expect(providers.map((p) => p.id)).toEqual(["skyway", "farefinder"]);
    const query = providerQuery();
    const context = { signal: new AbortController().signal, deadline: Date.now() + 2_000, now: new Date() };
    expect((await providers[0]!.search(query, context)).status).toBe("ok");
    expect(await providers[1]!.search(query, context)).toMatchObject({ status: "error", error: expect.stringMatching(/SIMULATED_FAIL/) });
  });
});
