import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { METRICS_CONTENT_TYPE, renderMetrics, type RenderOptions } from "./metrics";
import { METRICS_CHALLENGE, metricsAuthorized } from "./metrics-token";

export interface WorkerServerOptions {
  host: string;
  /** 0: any free port (tests). */
  port: number;
  /** METRICS_TOKEN: what GET /metrics requires as a bearer token; undefined: open. */
  token?: string;
  /** The queues' depths, once the worker has its database (read at each scrape). */
  queueDepths?: RenderOptions["queueDepths"];
}

export interface WorkerServer {
  port: number;
  /** Reads the queues' depths from now on (the database is ready). */
  setQueueDepths(read: RenderOptions["queueDepths"]): void;
  close(): Promise<void>;
}

/**
 * A worker's own small HTTP server, as `npm run worker` has no Next.js: GET /metrics (the
 * process's metrics in Prometheus's text format, behind METRICS_TOKEN when it is set) and
 * GET /live (200 "ok" while the process runs: a container's health check; it reads nothing, so
 * a database that is down does not get a healthy worker restarted). Anything else is a 404.
 */
export async function startWorkerServer(options: WorkerServerOptions): Promise<WorkerServer> {
  let queueDepths = options.queueDepths;
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "Cache-Control": "no-store", "Content-Type": "text/plain; charset=utf-8", ...headers });
      response.end(request.method === "HEAD" ? undefined : body);
    };
    if (path !== "/live" && path !== "/metrics") return send(404, "not found: GET /metrics or GET /live\n");
    if (request.method !== "GET" && request.method !== "HEAD") return send(405, "method not allowed\n", { Allow: "GET, HEAD" });
    if (path === "/live") return send(200, "ok\n");
    if (!metricsAuthorized(request.headers.authorization, options.token)) {
      return send(401, "Send the metrics token (METRICS_TOKEN) as Authorization: Bearer <token>.\n", { "WWW-Authenticate": METRICS_CHALLENGE });
    }
    renderMetrics({ queueDepths }).then(
      (body) => send(200, body, { "Content-Type": METRICS_CONTENT_TYPE }),
      (error: unknown) => send(500, `metrics unavailable: ${error instanceof Error ? error.message : String(error)}\n`),
    );
  });
  // A scraper's kept-alive connection must not hold the worker's shutdown.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    setQueueDepths(read) {
      queueDepths = read;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
