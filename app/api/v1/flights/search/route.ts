import { otherMethods } from "@/server/http/methods";
import { withAppContext } from "@/server/http/route";
import { handleFlightSearch, searchEndpointDeps } from "@/server/http/search-endpoint";

export const dynamic = "force-dynamic";

export const GET = withAppContext((request, ctx) => handleFlightSearch(request, searchEndpointDeps(ctx)));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
