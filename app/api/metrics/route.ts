import { getReadyDatabase } from "@/server/context";
import { env } from "@/server/env";
import { handleMetrics } from "@/server/http/metrics-endpoint";
import { otherMethods } from "@/server/http/methods";
import { withRequestScope } from "@/server/http/scope";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = withRequestScope((request: Request) => handleMetrics(request, { token: env.METRICS_TOKEN, db: async () => (await getReadyDatabase()).db }));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
