import { handleRevokeApiKey } from "@/server/http/api-keys-endpoint";
import { otherMethods } from "@/server/http/methods";
import { withAppContext } from "@/server/http/route";

export const dynamic = "force-dynamic";

export const DELETE = withAppContext((request, ctx, { params }: { params: Promise<{ id: string }> }) =>
  params.then(({ id }) => handleRevokeApiKey(request, ctx, id)),
);

export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
