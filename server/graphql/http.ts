import type { YogaServerInstance } from "graphql-yoga";
import { PayloadTooLargeError } from "@/server/core/errors";
import type { InnerContext } from "@/server/http/request-context";
import { problemFor } from "@/server/http/problem";

/** A query document and its variables fit in far less; a bigger body is refused before it is read. */
export const MAX_GRAPHQL_BODY_BYTES = 64 * 1024;

/** One GraphQL request: too big a body is a 413, the rest is Yoga's; nothing is kept by a cache on the way. */
export async function handleGraphQL(server: YogaServerInstance<Record<string, never>, InnerContext>, request: Request): Promise<Response> {
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_GRAPHQL_BODY_BYTES) return problemFor(new PayloadTooLargeError(`A GraphQL request body may be at most ${MAX_GRAPHQL_BODY_BYTES} bytes.`));
  const response = await server.handle(request, {});
  response.headers.set("Cache-Control", "no-store");
  return response;
}
