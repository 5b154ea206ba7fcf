import { otherMethods } from "@/server/http/methods";
import { withRequestScope } from "@/server/http/scope";
import { handleTRPC } from "@/server/trpc/http";
import { createTRPCContext } from "@/server/trpc/init";

export const dynamic = "force-dynamic";

const handler = withRequestScope((request: Request) => handleTRPC(request, () => createTRPCContext({ headers: request.headers })));

export { handler as GET, handler as POST };

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
