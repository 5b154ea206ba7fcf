import { handlePauseProvider } from "@/server/http/admin-endpoint";
import { otherMethods } from "@/server/http/methods";
import { withAppContext } from "@/server/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export const POST = withAppContext((request, ctx, { params }: Params) => params.then(({ id }) => handlePauseProvider(request, ctx, id)));

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
