import { env } from "@/server/env";
import { currentRequestId } from "@/server/request-scope";

type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

function serialiseError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  return {
    name: error.name,
    message: error.message,
    ...(error.cause !== undefined ? { cause: serialiseError(error.cause) } : {}),
  };
}

function write(level: Level, message: string, fields?: LogFields) {
  if (order[level] < order[env.LOG_LEVEL]) return;
  const requestId = currentRequestId();
  const record: LogFields = { level, time: new Date().toISOString(), msg: message, ...(requestId ? { requestId } : {}) };
  for (const [key, value] of Object.entries(fields ?? {})) {
    record[key] = key === "err" || value instanceof Error ? serialiseError(value) : value;
  }
  // One JSON object per line: greppable locally and ingestible by any log shipper.
  const line = JSON.stringify(record);
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}

export const log = {
  debug: (message: string, fields?: LogFields) => write("debug", message, fields),
  info: (message: string, fields?: LogFields) => write("info", message, fields),
  warn: (message: string, fields?: LogFields) => write("warn", message, fields),
  error: (message: string, fields?: LogFields) => write("error", message, fields),
};
