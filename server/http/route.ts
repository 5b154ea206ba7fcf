import { getAppContext, type AppContext } from "@/server/context";
import { problemFor } from "./problem";

/**
 * A route handler on the app context. A context that cannot be built (the database cannot be
 * reached) is answered like any other error: through the error table, as problem details.
 */
export function withAppContext<A extends unknown[]>(handle: (request: Request, ctx: AppContext, ...rest: A) => Promise<Response>) {
  return async (request: Request, ...rest: A): Promise<Response> => {
    let ctx: AppContext;
    try {
      ctx = await getAppContext();
    } catch (error) {
      return problemFor(error, "app context");
    }
    return handle(request, ctx, ...rest);
  };
}
