import { MethodNotAllowedError, NotFoundError } from "@/server/core/errors";
import { problemFor } from "./problem";
import { withRequestScope } from "./scope";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];
type Handler = (request: Request) => Promise<Response>;

/**
 * Handlers for the methods a route does not serve: problem details with 405 and the `Allow`
 * header (Next's own 405 has neither). A route file exports them beside its own:
 * `export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");`. HEAD and OPTIONS are
 * Next's.
 */
export function otherMethods<A extends Method>(...allowed: A[]): Record<Exclude<Method, A>, Handler> {
  const allow = [...allowed, ...(allowed.includes("GET" as A) ? ["HEAD"] : []), "OPTIONS"];
  const refuse: Handler = withRequestScope((request) => problemFor(new MethodNotAllowedError(request.method, allow)));
  return Object.fromEntries(METHODS.filter((m) => !allowed.includes(m as A)).map((m) => [m, refuse])) as Record<Exclude<Method, A>, Handler>;
}

/** Every method of a path under /api/ that no route serves: a 404 in problem details, not Next's HTML page. */
export const noSuchEndpoint = withRequestScope((request: Request) =>
  problemFor(new NotFoundError(`There is no API endpoint at ${new URL(request.url).pathname}; see /api/v1/openapi.json.`)),
);
