import http from "node:http";
import type { AddressInfo } from "node:net";

/** One request a test server received, its body read. */
export interface Hit {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Date.now() when the body was in. */
  at: number;
}

export interface LoopbackServer {
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  hits: Hit[];
  close(): Promise<void>;
}

const open = new Set<http.Server>();

/**
 * An HTTP server on 127.0.0.1 (tests only) that records each request, body read first, and lets
 * `answer` respond (or not: a hang). Closed by `close()` or `closeLoopbackServers()`.
 */
export async function loopbackServer(answer: (hit: Hit, response: http.ServerResponse) => void = (_hit, response) => response.end("ok")): Promise<LoopbackServer> {
  const hits: Hit[] = [];
  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const hit = { method: request.method ?? "", path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
    hits.push(hit);
    answer(hit, response);
  });
  open.add(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = () => {
    open.delete(server);
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { port, url: `http://127.0.0.1:${port}`, hits, close };
}

/** Closes every loopback server still open (an afterEach). */
export async function closeLoopbackServers(): Promise<void> {
  await Promise.all(
    [...open].map((server) => {
      open.delete(server);
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    }),
  );
}
