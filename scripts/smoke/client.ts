/**
 * HTTP as the smoke test's callers make it: a browser's cookies (shared across instances, as a
 * load balancer would give one browser either instance), an API key, and the client address a
 * reverse proxy would put in X-Forwarded-For (the instances run with TRUSTED_PROXIES=1).
 */

import { CookieJar } from "@/test/cookie-jar";

export { CookieJar };

export interface CallOptions {
  method?: string;
  /** JSON (sent with its content type) or a form (URLSearchParams). */
  body?: unknown;
  key?: string;
  jar?: CookieJar;
  /** The client's address, as a proxy in front would say it. */
  client?: string;
  headers?: Record<string, string>;
}

/** One web instance, by its origin. */
export class Instance {
  constructor(
    readonly name: string,
    readonly origin: string,
  ) {}

  async call(path: string, options: CallOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    if (options.body instanceof URLSearchParams) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = options.body.toString();
    } else if (options.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.body);
    }
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    if (options.jar) headers.cookie = options.jar.header();
    if (options.client) headers["x-forwarded-for"] = options.client;
    const response = await fetch(`${this.origin}${path}`, {
      method: options.method ?? (body === undefined ? "GET" : "POST"),
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(30_000),
    });
    return options.jar ? options.jar.take(response) : response;
  }

  /** The JSON of a call that must answer `status`; anything else throws with what came back. */
  async json<T>(path: string, options: CallOptions = {}, status = 200): Promise<{ body: T; response: Response }> {
    const response = await this.call(path, options);
    const text = await response.text();
    if (response.status !== status) throw new Error(`${this.name} ${options.method ?? (options.body === undefined ? "GET" : "POST")} ${path}: ${response.status} (expected ${status}): ${text.slice(0, 300)}`);
    return { body: (text ? JSON.parse(text) : null) as T, response };
  }

  /** A tRPC procedure over HTTP (SuperJSON's envelope, no batching). */
  async trpc<T>(kind: "query" | "mutation", procedure: string, input: unknown, options: CallOptions = {}): Promise<T> {
    const envelope = { json: input };
    const { body } =
      kind === "query"
        ? await this.json<{ result: { data: { json: T } } }>(`/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(envelope))}`, options)
        : await this.json<{ result: { data: { json: T } } }>(`/api/trpc/${procedure}`, { ...options, body: envelope });
    return body.result.data.json;
  }
}
