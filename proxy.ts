import { NextResponse, type NextRequest } from "next/server";
import { parseRoutePageQuery } from "@/app/routes/[route]/params";
import { parseWebSearch } from "@/components/search/search-params";

/**
 * Pages whose query can be wrong, and the parser each page itself uses. A page cannot set its
 * own status, so the proxy parses the query the same way first: when it does not hold up, the
 * page answers 400 and renders its own view of what is wrong (a message per parameter).
 */
const PAGE_QUERIES: [RegExp, (params: URLSearchParams) => boolean][] = [
  [/^\/search$/, (params) => parseWebSearch(params).ok],
  [/^\/routes\/[^/]+$/, (params) => parseRoutePageQuery(params).ok],
];

export function proxy(request: NextRequest) {
  const { pathname, searchParams } = request.nextUrl;
  // Only for documents: a client-side navigation's RSC fetch keeps a 200 its router understands.
  const document = !request.headers.has("rsc") && !request.headers.has("next-router-prefetch");
  const check = PAGE_QUERIES.find(([path]) => path.test(pathname))?.[1];
  if (document && check && !check(searchParams)) return NextResponse.next({ status: 400 });
  return NextResponse.next();
}

export const config = { matcher: ["/search", "/routes/:route"] };
