import { getReadyDatabase } from "@/db";
import { redactUrl } from "@/db/client";
import { env } from "@/server/env";
import { checkHealth } from "@/server/services/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const report = await checkHealth(getReadyDatabase, {
    describeTarget: env.DATABASE_URL
      ? { engine: "server", location: redactUrl(env.DATABASE_URL) }
      : { engine: "embedded", location: env.EMBEDDED_DATABASE_DIR },
  });
  return Response.json(report, {
    status: report.status === "ok" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
