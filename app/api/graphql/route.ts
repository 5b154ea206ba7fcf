import { getAppContext } from "@/server/context";
import { createGraphQLServer } from "@/server/graphql/yoga";
import { otherMethods } from "@/server/http/methods";
import { withRequestScope } from "@/server/http/scope";
import { handleGraphQL } from "@/server/graphql/http";

export const dynamic = "force-dynamic";

const server = createGraphQLServer(getAppContext);

// Next's route types take a function of (request, { params }); Yoga's handler is an object with more on it.
const handler = withRequestScope((request: Request) => handleGraphQL(server, request));

export { handler as GET, handler as POST };

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
