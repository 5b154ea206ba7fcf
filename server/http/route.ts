import { getAppContext, type AppContext } from "@/server/context";
import { inRequest } from "@/server/request-scope";
import { problemFor } from "./problem";
import { requestIdFrom } from "./security";

/**
 * A route handler on the app context, in the request's scope (its log lines carry its id). A
 * context that cannot be built (the database cannot be reached) is answered like any other
 * error: through the error table, as problem details.
 */
export function withAppContext<A extends unknown[]>(handle: (request: Request, ctx: AppContext, ...rest: A) => Promise<Response>) {
  return (request: Request, ...rest: A): Promise<Response> =>
    inRequest(requestIdFrom(request.headers), async () => {
      let ctx: AppContext;
      try {
        ctx = await getAppContext();
      } catch (error) {
        return problemFor(error, "app context");
      }
      return handle(request, ctx, ...rest);
    });
}
