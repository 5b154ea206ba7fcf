import superjson from "superjson";
import { MemoryRateLimiter } from "@/server/ratelimit/memory";
import { handleTRPC } from "@/server/trpc/http";
import { MAX_BATCH_SIZE } from "@/server/trpc/limits";
import { expect, it } from "vitest";
import { addDays } from "@/server/core/time";
import { describeEachEngine } from "@/test/engines";
import { procedureContext } from "@/test/trpc";

const today = new Date().toISOString().slice(0, 10);

describeEachEngine(
  "tRPC over HTTP",
  ({ app }) => {
    const context = procedureContext(app);

    it("over HTTP, exposes a message per field and the zod tree to the client", async () => {
      const input = { originCode: "L1R", destinationCode: "JFK", departureDate: "2020-01-01", adults: 0 };
      const url = `http://localhost/api/trpc/flight.search?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
      const response = await handleTRPC(new Request(url), async () => context());
      expect(response.status).toBe(400);
      const body = await response.json();
      expect(body.error.json.data.fieldErrors).toMatchObject({
        originCode: [expect.stringMatching(/3-letter/)],
        departureDate: [expect.stringMatching(/past/)],
        adults: [expect.any(String)],
      });
      expect(body.error.json.data.zodError).toBeTruthy();
    });

    it("over HTTP, a service validation error keeps its field messages", async () => {
      const input = { originCode: "ZZZ", destinationCode: "JFK", departureDate: addDays(today, 10) };
      const url = `http://localhost/api/trpc/flight.search?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
      const response = await handleTRPC(new Request(url), async () => context());
      expect(response.status).toBe(400);
      expect((await response.json()).error.json.data.fieldErrors).toEqual({ originCode: ["ZZZ is not a known airport or city code"] });
    });

    /** One GET batching `count` airport lookups, as the browser's link sends them. */
    const lookupBatch = (count: number) => {
      const inputs = Object.fromEntries(Array.from({ length: count }, (_, i) => [i, superjson.serialize({ query: ["lon", "par", "ber", "rom"][i % 4], limit: 3 })]));
      const path = Array.from({ length: count }, () => "airport.search").join(",");
      return new Request(`http://localhost/api/trpc/${path}?batch=1&input=${encodeURIComponent(JSON.stringify(inputs))}`);
    };

    it("serves a batch up to MAX_BATCH_SIZE calls and refuses a larger one with 400", async () => {
      const full = await handleTRPC(lookupBatch(MAX_BATCH_SIZE), async () => context());
      expect(full.status).toBe(200);
      expect(await full.json()).toHaveLength(MAX_BATCH_SIZE);
      const over = await handleTRPC(lookupBatch(MAX_BATCH_SIZE + 1), async () => context());
      expect(over.status).toBe(400);
      expect(JSON.stringify(await over.json())).toMatch(/Batch call exceeds maximum size/);
    });

    it("counts every call of a batch against the rate limit", async () => {
      const limiter = new MemoryRateLimiter(5, 60_000);
      const response = await handleTRPC(lookupBatch(8), async () => context({ limiter: () => limiter }));
      const codes = ((await response.json()) as { result?: unknown; error?: { json: { data: { code: string } } } }[]).map((r) => r.error?.json.data.code ?? "OK");
      expect(codes).toEqual(["OK", "OK", "OK", "OK", "OK", "TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS"]);
    });
  },
  { seed: true },
);
