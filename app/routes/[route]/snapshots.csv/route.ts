import { otherMethods } from "@/server/http/methods";
import { exportEndpointDeps, handleSnapshotExport } from "@/server/http/export-endpoint";
import { withAppContext } from "@/server/http/route";

export const dynamic = "force-dynamic";

export const GET = withAppContext(async (request, ctx, { params }: { params: Promise<{ route: string }> }) =>
  handleSnapshotExport(request, (await params).route, exportEndpointDeps(ctx)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
