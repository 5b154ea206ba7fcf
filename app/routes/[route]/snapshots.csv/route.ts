import { getReadyDatabase } from "@/db";
import { env } from "@/server/env";
import { withDatabase } from "@/server/http/default-deps";
import { handleSnapshotExport } from "@/server/http/export-endpoint";

export const dynamic = "force-dynamic";

export async function GET(request: Request, context: { params: Promise<{ route: string }> }) {
  const { route } = await context.params;
  return handleSnapshotExport(request, route, { db: () => withDatabase(async () => (await getReadyDatabase()).db), maxRows: env.CSV_EXPORT_MAX_ROWS });
}
