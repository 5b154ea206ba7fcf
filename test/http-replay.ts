/**
 * A local HTTP server that answers from a script, for contract tests of provider adapters: each
 * request takes the next scripted response (the last one repeats) and is recorded.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as is. */
  body?: unknown;
  delayMs?: number;
  /** Compress the body as the real API does when asked (Accept-Encoding: gzip). */
  gzip?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface ReplayServer {
  url: string;
  requests: RecordedRequest[];
  script(...responses: ScriptedResponse[]): void;
  close(): Promise<void>;
}

export async function startReplayServer(): Promise<ReplayServer> {
  let responses: ScriptedResponse[] = [{ status: 500, body: { errors: [{ message: "no script" }] } }];
  let served = 0;
  const requests: RecordedRequest[] = [];
  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(request.url ?? "/", "http://replay");
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // recorded as text
    }
    requests.push({ method: request.method ?? "GET", path: url.pathname, query: url.searchParams, headers: request.headers, body });
    const next = responses[Math.min(served++, responses.length - 1)]!;
    if (next.delayMs) await new Promise((resolve) => setTimeout(resolve, next.delayMs));
    if (response.destroyed) return;
    let payload: Buffer = Buffer.from(typeof next.body === "string" ? next.body : JSON.stringify(next.body ?? {}));
    const headers: Record<string, string> = { "content-type": "application/json", ...next.headers };
    if (next.gzip) {
      payload = zlib.gzipSync(payload);
      headers["content-encoding"] = "gzip";
    }
    response.writeHead(next.status, headers);
    response.end(payload);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(...scripted) {
      responses = scripted;
      served = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
