import { env } from "@/server/env";
import { observeApiRequest } from "@/server/observability/http";
import { inRequest } from "@/server/request-scope";
import { clientAddress } from "./client-address";
import { overHttps, REQUEST_ID_HEADER, requestIdFrom, STRICT_TRANSPORT_SECURITY } from "./security";

/**
 * An API handler in its request's scope: the request gets an id (a caller's valid X-Request-Id
 * is kept) that every log line written while serving it carries and the answer returns, and the
 * answer gets HSTS when a trusted proxy says the request came over HTTPS. What proxy.ts does for
 * pages, done here for API answers at a fraction of its cost. Each answer is counted in the
 * metrics under its route's pattern (server/observability/http.ts).
 */
export function withRequestScope<A extends unknown[]>(handle: (request: Request, ...rest: A) => Response | Promise<Response>) {
  return (request: Request, ...rest: A): Promise<Response> => {
    const requestId = requestIdFrom(request.headers);
    const origin = { address: clientAddress(request.headers, env.TRUSTED_PROXIES), userAgent: request.headers.get("user-agent") };
    const started = performance.now();
    return inRequest(
      requestId,
      async () => {
        let response: Response;
        try {
          response = withMutableHeaders(await handle(request, ...rest));
        } catch (error) {
          // Next answers a handler that threw with a 500: count it as one.
          observeApiRequest(request, 500, started);
          throw error;
        }
        response.headers.set(REQUEST_ID_HEADER, requestId);
        if (overHttps(request.headers, env.TRUSTED_PROXIES)) response.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
        observeApiRequest(request, response.status, started);
        return response;
      },
      origin,
    );
  };
}

/** `Response.redirect()` (Auth.js answers with it) has immutable headers: a copy that can take ours. */
function withMutableHeaders(response: Response): Response {
  try {
    response.headers.set(REQUEST_ID_HEADER, "");
    return response;
  } catch {
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers: new Headers(response.headers) });
  }
}
