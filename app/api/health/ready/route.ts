import { withRequestScope } from "@/server/http/scope";
import { otherMethods } from "@/server/http/methods";
import { appHealth, healthResponse } from "@/server/services/health/app-health";
import { checkReadiness } from "@/server/services/health/check-health";

export const dynamic = "force-dynamic";

/** Readiness (a load balancer's probe): 200 when the database answers and is migrated, else 503. */
export const GET = withRequestScope(async () => {
  const { sources, options } = appHealth();
  return healthResponse(await checkReadiness(sources, options));
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
