import { handleDeleteChannel, handleUpdateChannel } from "@/server/http/alerts-endpoint";
import { otherMethods } from "@/server/http/methods";
import { withAppContext } from "@/server/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export const PATCH = withAppContext((request, ctx, { params }: Params) => params.then(({ id }) => handleUpdateChannel(request, ctx, id)));
export const DELETE = withAppContext((request, ctx, { params }: Params) => params.then(({ id }) => handleDeleteChannel(request, ctx, id)));

export const { GET, POST, PUT } = otherMethods("PATCH", "DELETE");
