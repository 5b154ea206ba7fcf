import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

export interface WorkerProcess {
  process: ChildProcess;
  output: string[];
  /** The exit code; null when a signal ended it. */
  exited: Promise<number | null>;
}

/** `npm run worker`, as one process (node with tsx's loader: a signal reaches the worker itself). */
export function startWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      LOG_LEVEL: "info",
      WORKER_CONCURRENCY: "1",
      INGEST_TICK_SECONDS: "1",
      INGEST_JOB_EXPIRE_SECONDS: "10",
      INGEST_RETRY_DELAY_SECONDS: "1",
      SEARCH_TIMEOUT_MS: "30000",
      PROVIDER_TIMEOUT_MS: "20000",
      // Workers of parallel test files must not compete for the default metrics port.
      WORKER_METRICS_PORT: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { process: child, output, exited };
}
