/**
 * A small Upstash-compatible REST server in front of a real Redis, so that the Upstash drivers
 * (cache, rate limit) are tested against Redis itself, not a mock. It speaks what
 * @upstash/redis sends: POST / with a JSON command array, POST /pipeline and /multi-exec with
 * an array of them, a bearer token, and base64-encoded string results when the client asks
 * (header Upstash-Encoding: base64). `fault` makes it fail on purpose.
 */
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Redis from "ioredis";
import { afterAll, beforeAll } from "vitest";

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379";

export type BridgeFault = "none" | "error" | "slow";

export interface UpstashBridge {
  url: string;
  token: string;
  redis: Redis;
  fault: BridgeFault;
  requests: number;
  close(): Promise<void>;
}

type Reply = string | number | null | Reply[];

function encode(value: Reply, base64: boolean): Reply {
  if (Array.isArray(value)) return value.map((v) => encode(v, base64));
  if (typeof value === "string" && base64 && value !== "OK") return Buffer.from(value, "utf8").toString("base64");
  return value;
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export interface BridgeOptions {
  slowMs?: number;
  /** Told every command the bridge runs (a pipeline's and a transaction's one by one), as sent. */
  onCommand?: (command: string[]) => void;
}

export async function startUpstashBridge(options: BridgeOptions = {}): Promise<UpstashBridge> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const token = crypto.randomBytes(16).toString("hex");
  const bridge = { fault: "none" as BridgeFault, requests: 0 };

  // Upstash accepts script shebang flags that open-source Redis 7.0 does not
  // (#!lua flags=allow-key-locking). Scripts are run with those flags removed, and remembered
  // under the SHA the client computed, so that its EVALSHA calls still find them.
  const scripts = new Map<string, string>();
  const supportedFlags = new Set(["no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"]);
  const adapt = (script: string) =>
    script.replace(/^#!lua flags=([^\n]*)/, (_, flags: string) => {
      const kept = flags.split(",").filter((flag) => supportedFlags.has(flag.trim()));
      return kept.length ? `#!lua flags=${kept.join(",")}` : "#!lua";
    });
  const remember = (script: string) => {
    const sha = crypto.createHash("sha1").update(script).digest("hex");
    scripts.set(sha, adapt(script));
    return sha;
  };

  const run = async (command: unknown): Promise<{ result?: Reply; error?: string }> => {
    if (!Array.isArray(command) || command.length === 0) return { error: "ERR command must be a non-empty array" };
    options.onCommand?.(command.map(String));
    let [name, ...args] = command.map(String);
    const upper = name!.toUpperCase();
    if (upper === "EVAL" || upper === "EVAL_RO") {
      remember(args[0]!);
      args = [adapt(args[0]!), ...args.slice(1)];
    } else if ((upper === "EVALSHA" || upper === "EVALSHA_RO") && scripts.has(args[0]!.toLowerCase())) {
      name = upper === "EVALSHA" ? "EVAL" : "EVAL_RO";
      args = [scripts.get(args[0]!.toLowerCase())!, ...args.slice(1)];
    } else if (upper === "SCRIPT" && args[0]?.toUpperCase() === "LOAD") {
      const sha = remember(args[1]!);
      await redis.call("SCRIPT", "LOAD", scripts.get(sha)!);
      return { result: sha };
    }
    try {
      return { result: (await redis.call(name!, ...args)) as Reply };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  };

  const server = http.createServer(async (request, response) => {
    bridge.requests++;
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (request.headers.authorization !== `Bearer ${token}`) return send(401, { error: "Unauthorized" });
    if (bridge.fault === "error") return send(500, { error: "bridge fault injected" });
    if (bridge.fault === "slow") await new Promise((resolve) => setTimeout(resolve, options.slowMs ?? 3_000));
    const base64 = String(request.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
    let body: unknown;
    try {
      body = JSON.parse(await readBody(request));
    } catch {
      return send(400, { error: "ERR body is not JSON" });
    }
    const path = (request.url ?? "/").split("?")[0];
    if (path === "/pipeline" || path === "/multi-exec") {
      if (!Array.isArray(body)) return send(400, { error: "ERR pipeline body must be an array of commands" });
      const results =
        path === "/multi-exec"
          ? await (async () => {
              const multi = redis.multi();
              for (const command of body as unknown[][]) {
                options.onCommand?.(command.map(String));
                multi.call(String(command[0]), ...command.slice(1).map(String));
              }
              const replies = (await multi.exec()) ?? [];
              return replies.map(([error, result]) => (error ? { error: error.message } : { result: result as Reply }));
            })()
          : await Promise.all((body as unknown[]).map(run));
      return send(200, results.map((r) => ("error" in r && r.error ? { error: r.error } : { result: encode(r.result ?? null, base64) })));
    }
    const result = await run(body);
    if (result.error) return send(400, { error: result.error });
    return send(200, { result: encode(result.result ?? null, base64) });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return Object.assign(bridge, {
    url: `http://127.0.0.1:${port}`,
    token,
    redis,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      redis.disconnect();
    },
  });
}

/** Whether the test Redis answers; tests fail in CI and skip locally when it does not. */
export async function redisUnavailable(): Promise<string | null> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2_000, retryStrategy: () => null });
  // The connection's own error (ECONNREFUSED...) says more than the "Connection is closed" that follows it.
  let cause: Error | undefined;
  redis.on("error", (error: Error) => (cause ??= error));
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return cause?.message ?? (error instanceof Error ? error.message : String(error));
  } finally {
    redis.disconnect();
  }
}

/**
 * A bridge for a describe block: started before its tests; after them the keys under `prefix`
 * are removed and it is closed.
 */
export function bridgeForTests(prefix: string, options: BridgeOptions = {}): () => UpstashBridge {
  let bridge: UpstashBridge | undefined;
  beforeAll(async () => {
    bridge = await startUpstashBridge(options);
  });
  afterAll(async () => {
    if (!bridge) return;
    const keys = await bridge.redis.keys(`${prefix}*`);
    if (keys.length) await bridge.redis.del(...keys);
    await bridge.close();
  });
  return () => bridge!;
}
