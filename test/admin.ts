import { randomUUID } from "node:crypto";
import { setRole, ensureUser } from "@/db/queries/users";
import { ingestionRun, type RunProviderReport } from "@/db/schema";
import type { Principal } from "@/server/auth/principal";
import type { AppContext } from "@/server/context";
import { createCaller } from "@/server/trpc/root";
import { procedureContext } from "./trpc";

// Shared by the admin console's tests (server/services/admin/*.test.ts).

let sequence = 0;

/** A new admin (an address of its own, made with `label`) and a tRPC caller signed in as them, on `ctx`. */
export async function adminCaller(ctx: AppContext, label: string) {
  const user = await ensureUser(ctx.db, `${label}-${Date.now()}-${sequence++}@example.test`);
  await setRole(ctx.db, user.id, "admin");
  const principal: Principal = { via: "session", userId: user.id, role: "admin", sessionId: `s-${user.id}` };
  return { id: user.id, email: user.email!, trpc: createCaller(procedureContext(() => ctx)({ principal })) };
}

type RunInsert = typeof ingestionRun.$inferInsert;

/** Ingestion runs written as a job would have (failed, first attempt, unless told); their ids in order. */
export async function insertRuns(ctx: AppContext, runs: (Partial<RunInsert> & Pick<RunInsert, "queryId" | "startedAt">)[]): Promise<number[]> {
  const rows = await ctx.db
    .insert(ingestionRun)
    .values(runs.map((r) => ({ jobId: randomUUID(), attempt: 1, status: "failed" as const, ...r })))
    .returning({ id: ingestionRun.id });
  return rows.map((r) => Number(r.id));
}

/** What one provider did in a run. */
export function runReport(provider: string, status: string, error?: string, latencyMs = 100): RunProviderReport {
  return { provider, status, offers: status === "ok" ? 3 : 0, latencyMs, ...(error ? { error } : {}) };
}
