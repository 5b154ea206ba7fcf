import { handleGetNotification } from "@/server/http/alerts-endpoint";
import { otherMethods } from "@/server/http/methods";
import { withAppContext } from "@/server/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export const GET = withAppContext((request, ctx, { params }: Params) => params.then(({ id }) => handleGetNotification(request, ctx, id)));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
