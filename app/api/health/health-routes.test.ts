import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The three health routes as Next serves them, configured as a deployment would be, with the
 * database server hanging: DATABASE_URL points at a port that takes connections and never
 * answers (and counts them). The environment is read when the app's modules load, so it is set
 * before they are imported.
 */

let blackHole: net.Server;
let connections = 0;
const sockets = new Set<net.Socket>();
type Handler = (request: Request) => Promise<Response>;
let routes: { health: Handler; ready: Handler; live: Handler };
let closeAppContext: () => Promise<void>;

beforeAll(async () => {
  blackHole = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => blackHole.listen(0, "127.0.0.1", resolve));
  const port = (blackHole.address() as AddressInfo).port;
  Object.assign(process.env, {
    DATABASE_URL: `postgres://app:hunter2@127.0.0.1:${port}/flights`,
    DATABASE_CONNECT_TIMEOUT: "3",
    HEALTH_TIMEOUT_MS: "400",
    WORKER_MODE: "worker",
    LOG_LEVEL: "error",
  });
  const [health, ready, live, context] = await Promise.all([
    import("./route"),
    import("./ready/route"),
    import("./live/route"),
    import("@/server/context"),
  ]);
  routes = { health: health.GET, ready: ready.GET, live: live.GET };
  closeAppContext = context.closeAppContext;
});

afterAll(async () => {
  await closeAppContext?.();
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => blackHole.close(() => resolve()));
});

const get = (path: string) => new Request(`http://127.0.0.1:3000${path}`);

describe("health routes with a database that hangs", () => {
  // First, before anything else has opened the database: liveness must not.
  it("/api/health/live answers 200 and never touches the database", async () => {
    const response = await routes.live(get("/api/health/live"));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toMatchObject({ status: "ok", version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(connections).toBe(0);
    expect((globalThis as { __flightTracker?: { ready?: unknown } }).__flightTracker?.ready).toBeUndefined();
  });

  it("/api/health/ready answers 503 within its bound, saying the database timed out", async () => {
    const response = await routes.ready(get("/api/health/ready"));
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body).toMatchObject({ status: "unavailable", ready: false, database: { status: "down", engine: "server", reachable: false } });
    expect(body.database.error).toMatch(/timed out after 400 ms/);
    expect(body.database.error).toMatch(/DATABASE_URL/);
    expect(body.cache).toMatchObject({ status: "ok", driver: "memory" });
    expect(connections).toBeGreaterThan(0);
    expect(JSON.stringify(body)).not.toContain("hunter2");
  });

  it("/api/health answers 503 with every dependency, the counters, and no password", async () => {
    const response = await routes.health(get("/api/health"));
    expect(response.status).toBe(503);
    expect(response.headers.get("x-request-id")).toBeTruthy();
    const body = await response.json();
    expect(body).toMatchObject({
      status: "unavailable",
      ready: false,
      database: { status: "down", reachable: false },
      cache: { status: "ok" },
      queue: { status: "down", workerMode: "worker" },
      smtp: { status: "disabled", delivery: "outbox" },
      counters: { searches: expect.any(Number) },
    });
    expect(body.providers.map((p: { id: string; status: string }) => [p.id, p.status])).toEqual([
      ["skyway", "down"],
      ["farefinder", "down"],
    ]);
    expect(JSON.stringify(body)).not.toContain("hunter2");
  });

  it("the other methods are refused with 405 and Allow", async () => {
    const { POST } = await import("./live/route");
    const response = await POST(new Request("http://127.0.0.1:3000/api/health/live", { method: "POST" }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });
});
