import { z } from "zod";
import { getAppContext, marketControlOn } from "@/server/context";
import { airportsOf, knownPlace } from "@/server/core/places";
import { iataCode } from "@/server/core/search-query";
import { otherMethods } from "@/server/http/methods";
import { problemFor } from "@/server/http/problem";
import { withRequestScope } from "@/server/http/scope";
import { marketAdjustments, setMarketAdjustment } from "@/server/providers/market-control";

export const dynamic = "force-dynamic";

const adjustment = z
  .object({
    originCode: iataCode,
    destinationCode: iataCode,
    factor: z.number().min(0.05, "must be at least 0.05").max(20, "must be at most 20").meta({ description: "0.5 halves the route's simulated prices; 1 restores them." }),
  })
  .strict();

/**
 * The simulated market's test control (SIMULATED_MARKET_CONTROL=true; off, and 404, otherwise
 * and always in production with a database server). POST {originCode, destinationCode, factor}
 * moves that route's simulated prices from the next search on; GET lists what is set.
 */
export const POST = withRequestScope(async (request: Request) => {
  const ctx = await getAppContext();
  if (!marketControlOn(ctx.config, ctx.database)) return new Response("Not found", { status: 404 });
  try {
    const input = adjustment.parse(await request.json().catch(() => ({})));
    const adjustments = await setMarketAdjustment(ctx.db, {
      origins: airportsOf(knownPlace(ctx.reference, input.originCode, "originCode")),
      destinations: airportsOf(knownPlace(ctx.reference, input.destinationCode, "destinationCode")),
      factor: input.factor,
    });
    return Response.json({ adjustments, simulated: true }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return problemFor(error, "market control");
  }
});

export const GET = withRequestScope(async () => {
  const ctx = await getAppContext();
  if (!marketControlOn(ctx.config, ctx.database)) return new Response("Not found", { status: 404 });
  return Response.json({ adjustments: await marketAdjustments(ctx.db), simulated: true }, { headers: { "Cache-Control": "no-store" } });
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
