import { describe, expect, it } from "vitest";
import { providerQuery } from "@/test/fixtures";
import { makeOffer } from "@/test/offers";
import { ResilientProvider, type ResilienceOptions } from "./resilience";
import { ProviderError, sleep, type FlightProvider } from "./types";

const query = providerQuery();

type Step = "ok" | "transient" | "fatal" | "hang" | "hang-ignoring-signal" | { delay: number };

/** A provider that plays a script: one step per call, the last step repeating. */
function scripted(steps: Step[]) {
  const calls: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const provider: FlightProvider = {
    id: "fake",
    name: "Fake",
    simulated: true,
    async search(_query, { signal }) {
      const step = steps[Math.min(calls.length, steps.length - 1)]!;
      calls.push(Date.now());
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        if (step === "transient") throw new ProviderError("503 from upstream", { transient: true });
        if (step === "fatal") throw new ProviderError("401 bad token", { transient: false });
        if (step === "hang") await sleep(60_000, signal);
        if (step === "hang-ignoring-signal") await sleep(1_000);
        if (typeof step === "object") await sleep(step.delay, signal);
        return [makeOffer({ provider: "fake" })];
      } finally {
        inFlight--;
      }
    },
  };
  return { provider, calls, maxInFlight: () => maxInFlight };
}

const fast: ResilienceOptions = {
  timeoutMs: 200,
  retries: 2,
  backoffBaseMs: 5,
  backoffMaxMs: 20,
  failureThreshold: 3,
  openMs: 1_000,
  concurrency: 8,
};

const context = (budgetMs = 5_000) => ({ signal: new AbortController().signal, deadline: Date.now() + budgetMs, now: new Date() });

describe("ResilientProvider", () => {
  it("passes a good answer through with its latency and offer count", async () => {
    const { provider } = scripted([{ delay: 20 }]);
    const result = await new ResilientProvider(provider, fast).search(query, context());
    expect(result).toMatchObject({ provider: "fake", name: "Fake", status: "ok", offerCount: 1, attempts: 1, error: null, simulated: true });
    expect(result.latencyMs).toBeGreaterThanOrEqual(15);
    expect(result.offers).toHaveLength(1);
  });

  it("gives up at the call's timeout", async () => {
    const { provider } = scripted(["hang"]);
    const started = Date.now();
    const result = await new ResilientProvider(provider, fast).search(query, context());
    expect(result.status).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(fast.timeoutMs + 150);
  });

  it("gives up at the search's deadline when that comes first", async () => {
    const { provider } = scripted(["hang"]);
    const started = Date.now();
    const result = await new ResilientProvider(provider, { ...fast, timeoutMs: 5_000 }).search(query, context(80));
    expect(result.status).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(250);
  });

  it("times out a provider that ignores its abort signal", async () => {
    const { provider } = scripted(["hang-ignoring-signal"]);
    const result = await new ResilientProvider(provider, fast).search(query, context());
    expect(result.status).toBe("timeout");
    expect(result.latencyMs).toBeLessThan(fast.timeoutMs + 150);
  });

  it("retries transient errors with backoff, and succeeds", async () => {
    const { provider, calls } = scripted(["transient", "transient", "ok"]);
    const result = await new ResilientProvider(provider, fast).search(query, context());
    expect(result).toMatchObject({ status: "ok", attempts: 3, offerCount: 1 });
    expect(calls).toHaveLength(3);
  });

  it("stops retrying after the allowed attempts", async () => {
    const { provider, calls } = scripted(["transient"]);
    const result = await new ResilientProvider(provider, fast).search(query, context());
    expect(result).toMatchObject({ status: "error", attempts: 3, error: "503 from upstream" });
    expect(calls).toHaveLength(3);
  });

  it("does not retry an error that will not go away", async () => {
    const { provider, calls } = scripted(["fatal", "ok"]);
    const result = await new ResilientProvider(provider, fast).search(query, context());
    expect(result).toMatchObject({ status: "error", attempts: 1, error: "401 bad token" });
    expect(calls).toHaveLength(1);
  });

  it("waits at least as long as the provider's Retry-After, and not past the deadline", async () => {
    let calls = 0;
    const provider: FlightProvider = {
      id: "limited",
      name: "Limited",
      simulated: false,
      async search() {
        calls++;
        throw new ProviderError("429 rate limited", { transient: true, retryAfterMs: 10_000 });
      },
    };
    const result = await new ResilientProvider(provider, fast).search(query, context());
    expect(result.status).toBe("error");
    expect(calls).toBe(1);
  });

  it("opens the circuit after repeated failures, then lets one probe decide", async () => {
    let now = 1_000_000;
    const { provider, calls } = scripted(["fatal", "fatal", "fatal", "ok"]);
    const wrapped = new ResilientProvider(provider, fast, () => now);
    for (let i = 0; i < 3; i++) expect((await wrapped.search(query, context())).status).toBe("error");
    expect(wrapped.breakerState()).toBe("open");
    const skipped = await wrapped.search(query, context());
    expect(skipped).toMatchObject({ status: "circuit_open", attempts: 0 });
    expect(calls).toHaveLength(3);

    now += fast.openMs;
    expect(wrapped.breakerState()).toBe("half_open");
    const probe = await wrapped.search(query, context());
    expect(probe.status).toBe("ok");
    expect(wrapped.breakerState()).toBe("closed");
  });

  it("reopens the circuit when the probe fails", async () => {
    let now = 1_000_000;
    const { provider } = scripted(["fatal"]);
    const wrapped = new ResilientProvider(provider, fast, () => now);
    for (let i = 0; i < 3; i++) await wrapped.search(query, context());
    now += fast.openMs;
    expect((await wrapped.search(query, context())).status).toBe("error");
    expect(wrapped.breakerState()).toBe("open");
    expect((await wrapped.search(query, context())).status).toBe("circuit_open");
  });

  it("keeps at most `concurrency` calls in flight; the rest wait for a slot", async () => {
    const { provider, maxInFlight } = scripted([{ delay: 40 }]);
    const wrapped = new ResilientProvider(provider, { ...fast, concurrency: 2 });
    const results = await Promise.all(Array.from({ length: 6 }, () => wrapped.search(query, context())));
    expect(results.every((r) => r.status === "ok")).toBe(true);
    expect(maxInFlight()).toBe(2);
  });

  it("reports a timeout for a call that never got a slot before its deadline", async () => {
    const { provider } = scripted([{ delay: 150 }]);
    const wrapped = new ResilientProvider(provider, { ...fast, concurrency: 1 });
    const [first, second] = await Promise.all([wrapped.search(query, context()), wrapped.search(query, context(50))]);
    expect(first!.status).toBe("ok");
    expect(second!.status).toBe("timeout");
  });

  it("never throws, whatever the provider does", async () => {
    const provider: FlightProvider = {
      id: "broken",
      name: "Broken",
      simulated: false,
      search: () => Promise.reject("not even an Error"),
    };
    await expect(new ResilientProvider(provider, fast).search(query, context())).resolves.toMatchObject({ status: "error" });
  });
});
