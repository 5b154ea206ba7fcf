import { otherMethods } from "@/server/http/methods";
import { withAppContext } from "@/server/http/route";
import { handleDeleteTracked, handleGetTracked, handleUpdateTracked } from "@/server/http/tracked-routes-endpoint";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export const GET = withAppContext((request, ctx, { params }: Params) => params.then(({ id }) => handleGetTracked(request, ctx, id)));
export const PATCH = withAppContext((request, ctx, { params }: Params) => params.then(({ id }) => handleUpdateTracked(request, ctx, id)));
export const DELETE = withAppContext((request, ctx, { params }: Params) => params.then(({ id }) => handleDeleteTracked(request, ctx, id)));

export const { POST, PUT } = otherMethods("GET", "PATCH", "DELETE");
