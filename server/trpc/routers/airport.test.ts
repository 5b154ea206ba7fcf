import { expect, it } from "vitest";
import { createCaller } from "@/server/trpc/root";
import { describeEachEngine } from "@/test/engines";
import { procedureContext } from "@/test/trpc";

describeEachEngine(
  "airport router",
  ({ app }) => {
    const context = procedureContext(app);

    it("airport.search finds places", async () => {
      const places = await createCaller(context()).airport.search({ query: "zurich", limit: 3 });
      expect(places[0]!.code).toBe("ZRH");
      await expect(createCaller(context()).airport.search({ query: "lon\u0000don" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    });
  },
  { seed: true },
);
