import { withAppContext } from "@/server/http/route";
import { handleFlightSearch, searchEndpointDeps } from "@/server/http/search-endpoint";

export const dynamic = "force-dynamic";

export const GET = withAppContext((request, ctx) => handleFlightSearch(request, searchEndpointDeps(ctx)));
