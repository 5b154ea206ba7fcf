import { getAppContext, type AppContext } from "@/server/context";
import { problemFor } from "./problem";
import { withRequestScope } from "./scope";

/**
 * A route handler on the app context, in the request's scope (withRequestScope: its id on the
 * answer and on every log line). A context that cannot be built (the database cannot be reached)
 * is answered like any other error: through the error table, as problem details.
 */
export function withAppContext<A extends unknown[]>(handle: (request: Request, ctx: AppContext, ...rest: A) => Promise<Response>) {
  return withRequestScope(async (request: Request, ...rest: A): Promise<Response> => {
    let ctx: AppContext;
    try {
      ctx = await getAppContext();
    } catch (error) {
      return problemFor(error, "app context");
    }
    return handle(request, ctx, ...rest);
  });
}
