import net from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { parseMetrics, sampleValue } from "@/test/prometheus";
import { until } from "@/test/wait";
import { startWorker, type WorkerProcess } from "@/test/worker-process";
import { startWorkerServer, type WorkerServer } from "./worker-server";

const TOKEN = "worker-metrics-token-0123456789";

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("a worker's metrics server", () => {
  const servers: WorkerServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.close();
  });
  const start = async (options: Partial<Parameters<typeof startWorkerServer>[0]> = {}) => {
    const server = await startWorkerServer({ host: "127.0.0.1", port: 0, ...options });
    servers.push(server);
    return { server, url: `http://127.0.0.1:${server.port}` };
  };

  it("GET /live: 200 ok; GET /metrics: the process's metrics with the queues' depths read at the scrape", async () => {
    let reads = 0;
    const { url } = await start({
      queueDepths: async () => {
        reads++;
        return [{ name: "ingest", waiting: 3, retrying: 1, active: 2 }];
      },
    });
    const live = await fetch(`${url}/live`);
    expect([live.status, await live.text()]).toEqual([200, "ok\n"]);
    const head = await fetch(`${url}/live`, { method: "HEAD" });
    expect([head.status, await head.text()]).toEqual([200, ""]);
    expect(reads).toBe(0);

    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const samples = parseMetrics(await response.text());
    expect(reads).toBe(1);
    expect(sampleValue(samples, "flight_tracker_queue_jobs", { queue: "ingest", state: "waiting" })).toBe(3);
    expect(sampleValue(samples, "flight_tracker_queue_jobs", { queue: "ingest", state: "retrying" })).toBe(1);
    expect(sampleValue(samples, "flight_tracker_queue_jobs", { queue: "ingest", state: "active" })).toBe(2);
    expect(samples.some((s) => s.name === "flight_tracker_build_info")).toBe(true);
    expect(samples.some((s) => s.name === "process_cpu_user_seconds_total")).toBe(true);
  });

  it("a database that fails: the scrape is still answered, without the queues' depths", async () => {
    const { url } = await start({ queueDepths: () => Promise.reject(new Error("connection refused")) });
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    const samples = parseMetrics(await response.text());
    expect(samples.filter((s) => s.name === "flight_tracker_queue_jobs")).toEqual([]);
    expect(sampleValue(samples, "flight_tracker_metrics_collect_errors_total", { collector: "queue_jobs" })).toBeGreaterThan(0);
  });

  it("with a token: /metrics needs it (401 with a Bearer challenge), /live does not", async () => {
    const { url } = await start({ token: TOKEN });
    for (const authorization of [undefined, `Bearer ${TOKEN}-`, `bearer ${TOKEN.toUpperCase()}`]) {
      const refused = await fetch(`${url}/metrics`, { headers: authorization ? { Authorization: authorization } : {} });
      expect(refused.status, authorization).toBe(401);
      expect(refused.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
    }
    expect((await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await fetch(`${url}/live`)).status).toBe(200);
  });

  it("anything else: 404, or 405 with Allow", async () => {
    const { url } = await start();
    expect((await fetch(`${url}/`)).status).toBe(404);
    expect((await fetch(`${url}/metrics/extra`)).status).toBe(404);
    const post = await fetch(`${url}/metrics`, { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  it("a port in use is an error to the caller", async () => {
    const { server } = await start();
    await expect(startWorkerServer({ host: "127.0.0.1", port: server.port })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe("npm run worker's own endpoint", () => {
  let worker: WorkerProcess | undefined;
  afterAll(() => {
    if (worker?.process.exitCode === null) worker.process.kill("SIGKILL");
  });

  it("answers /live and /metrics (behind METRICS_TOKEN) on WORKER_METRICS_PORT while it waits for its database, and stops on SIGTERM", async () => {
    const [port, databasePort] = [await freePort(), await freePort()];
    worker = startWorker({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${databasePort}/nothing`,
      WORKER_METRICS_PORT: String(port),
      WORKER_METRICS_HOST: "127.0.0.1",
      METRICS_TOKEN: TOKEN,
    });
    const url = `http://127.0.0.1:${port}`;
    const live = await until("the worker's /live", () => fetch(`${url}/live`).then((r) => (r.ok ? r : null), () => null), 60_000);
    expect(await live.text()).toBe("ok\n");
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const response = await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    const samples = parseMetrics(await response.text());
    expect(sampleValue(samples, "flight_tracker_build_info", { version: "0.1.0" })).toBe(1);
    expect(samples.some((s) => s.name === "nodejs_eventloop_lag_seconds")).toBe(true);
    // Alive and scraped, though it has no database yet.
    await until("the worker to say it waits for its database", async () => /database not ready, retrying/.test(worker!.output.join("")), 30_000);

    worker.process.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    await expect(fetch(`${url}/live`)).rejects.toThrow();
  });
});
