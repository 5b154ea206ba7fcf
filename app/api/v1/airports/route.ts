import { otherMethods } from "@/server/http/methods";
import { withAppContext } from "@/server/http/route";
import { airportEndpointDeps, handleAirportSearch } from "@/server/http/search-endpoint";

export const dynamic = "force-dynamic";

export const GET = withAppContext((request, ctx) => handleAirportSearch(request, airportEndpointDeps(ctx)));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
