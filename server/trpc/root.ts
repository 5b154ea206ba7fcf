import { createCallerFactory, createTRPCRouter } from "@/server/trpc/init";
import { airportRouter } from "./routers/airport";
import { apiKeyRouter } from "./routers/api-key";
import { flightRouter } from "./routers/flight";
import { routeRouter } from "./routers/route";

export const appRouter = createTRPCRouter({
  flight: flightRouter,
  airport: airportRouter,
  route: routeRouter,
  apiKey: apiKeyRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
