import { withRequestScope } from "@/server/http/scope";
import { otherMethods } from "@/server/http/methods";
import { configFromEnv, databaseTarget, getReadyDatabase } from "@/server/context";
import { checkHealth } from "@/server/services/health/check-health";

export const dynamic = "force-dynamic";

export const GET = withRequestScope(async () => {
  const report = await checkHealth(getReadyDatabase, { describeTarget: databaseTarget(configFromEnv().database) });
  return Response.json(report, {
    status: report.status === "ok" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
