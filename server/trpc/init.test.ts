import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import { expect, it } from "vitest";
import { addDays } from "@/server/core/time";
import { appRouter } from "@/server/trpc/root";
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
      const response = await fetchRequestHandler({ endpoint: "/api/trpc", req: new Request(url), router: appRouter, createContext: async () => context() });
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
      const response = await fetchRequestHandler({ endpoint: "/api/trpc", req: new Request(url), router: appRouter, createContext: async () => context() });
      expect(response.status).toBe(400);
      expect((await response.json()).error.json.data.fieldErrors).toEqual({ originCode: ["ZZZ is not a known airport or city code"] });
    });
  },
  { seed: true },
);
