import { createCallerFactory, createTRPCRouter } from "@/server/trpc/init";
import { accountRouter } from "./routers/account";
import { adminRouter } from "./routers/admin";
import { alertsRouter } from "./routers/alerts";
import { airportRouter } from "./routers/airport";
import { apiKeyRouter } from "./routers/api-key";
import { flightRouter } from "./routers/flight";
import { routeRouter } from "./routers/route";
import { trackingRouter } from "./routers/tracking";

export const appRouter = createTRPCRouter({
  flight: flightRouter,
  airport: airportRouter,
  route: routeRouter,
  apiKey: apiKeyRouter,
  account: accountRouter,
  tracking: trackingRouter,
  alerts: alertsRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
