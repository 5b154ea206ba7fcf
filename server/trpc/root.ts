import { createCallerFactory, createTRPCRouter } from "@/server/trpc/init";
import { airportRouter } from "./routers/airport";
import { flightRouter } from "./routers/flight";

export const appRouter = createTRPCRouter({
  flight: flightRouter,
  airport: airportRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
