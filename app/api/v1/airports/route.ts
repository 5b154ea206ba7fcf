import { airportSearchDeps } from "@/server/http/default-deps";
import { handleAirportSearch } from "@/server/http/search-endpoint";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return handleAirportSearch(request, airportSearchDeps());
}
