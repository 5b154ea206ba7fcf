import type { YogaServerInstance } from "graphql-yoga";
import { PayloadTooLargeError } from "@/server/core/errors";
import type { InnerContext } from "@/server/http/request-context";
import { problemFor } from "@/server/http/problem";

/** A query document and its variables fit in far less; a bigger body is refused before it is parsed. */
export const MAX_GRAPHQL_BODY_BYTES = 64 * 1024;

const tooLarge = () => problemFor(new PayloadTooLargeError(`A GraphQL request body may be at most ${MAX_GRAPHQL_BODY_BYTES} bytes.`));

/** The body, read up to `max` bytes (null past it, whatever Content-Length said or did not say). */
async function cappedBody(request: Request, max: number): Promise<Buffer | null> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** One GraphQL request: too big a body is a 413, the rest is Yoga's; nothing is kept by a cache on the way. */
export async function handleGraphQL(server: YogaServerInstance<Record<string, never>, InnerContext>, request: Request): Promise<Response> {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_GRAPHQL_BODY_BYTES) return tooLarge();
  let forYoga = request;
  if (request.body) {
    const body = await cappedBody(request, MAX_GRAPHQL_BODY_BYTES);
    if (!body) return tooLarge();
    forYoga = new Request(request.url, { method: request.method, headers: request.headers, body: new Uint8Array(body) });
  }
  const response = await server.handle(forYoga, {});
  response.headers.set("Cache-Control", "no-store");
  return response;
}
