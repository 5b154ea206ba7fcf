import { otherMethods } from "@/server/http/methods";
import { requestIdFrom } from "@/server/http/security";
import { inRequest } from "@/server/request-scope";
import { handleTRPC } from "@/server/trpc/http";
import { createTRPCContext } from "@/server/trpc/init";

export const dynamic = "force-dynamic";

function handler(request: Request) {
  return inRequest(requestIdFrom(request.headers), () => handleTRPC(request, () => createTRPCContext({ headers: request.headers })));
}

export { handler as GET, handler as POST };

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
