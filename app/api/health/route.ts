import { withRequestScope } from "@/server/http/scope";
import { otherMethods } from "@/server/http/methods";
import { appHealth, healthResponse } from "@/server/services/health/app-health";
import { checkHealth } from "@/server/services/health/check-health";

export const dynamic = "force-dynamic";

/** Every dependency (database, cache, queue, SMTP, each provider) and this process's counters. */
export const GET = withRequestScope(async () => {
  const { sources, options } = appHealth();
  return healthResponse(await checkHealth(sources, options));
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
