import type { Database } from "@/db/client";
import { describeError } from "@/db/migrate";

/** Names the setting behind a failure, so the message says what to change. */
export function describeDatabaseFailure(engine: Database["engine"] | "unknown", location: string | null, error: unknown): string {
  const detail = describeError(error);
  if (engine === "server") return `Cannot use the database server at ${location ?? "DATABASE_URL"} (set by DATABASE_URL): ${detail}`;
  if (engine === "embedded")
    return `Cannot use the embedded database in ${location ?? "EMBEDDED_DATABASE_DIR"} (EMBEDDED_DATABASE_DIR; set DATABASE_URL to use a server instead): ${detail}`;
  return detail;
}
