import { handleGetIngestion } from "@/server/http/admin-endpoint";
import { otherMethods } from "@/server/http/methods";
import { withAppContext } from "@/server/http/route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export const GET = withAppContext((request, ctx, { params }: Params) => params.then(({ id }) => handleGetIngestion(request, ctx, id)));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
