import { flightSearchDeps } from "@/server/http/default-deps";
import { handleFlightSearch } from "@/server/http/search-endpoint";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return handleFlightSearch(request, flightSearchDeps());
}
