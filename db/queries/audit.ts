import { and, desc, eq, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditEvent } from "@/db/schema";
import { currentOrigin } from "@/server/request-scope";

/** What the audit log records. */
export const AUDIT_ACTIONS = [
  "sign_in",
  "sign_out",
  "sessions_ended",
  "api_key_created",
  "api_key_revoked",
  "role_changed",
  "account_deleted",
  "account_disabled",
  "account_enabled",
  "provider_paused",
  "provider_resumed",
  "scheduler_paused",
  "scheduler_resumed",
  "ingestion_retried",
  "ingestion_discarded",
  "ingestion_refreshed",
  "delivery_retried",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditInput {
  action: AuditAction;
  actorId: string | null;
  subjectId?: string | null;
  address?: string | null;
  userAgent?: string | null;
  /** Names and ids, never secrets (no key, no token, no link). */
  detail?: Record<string, unknown>;
}

/** One line of the audit log; the address and user agent default to the request being served. */
export async function recordAudit(db: Db, event: AuditInput): Promise<void> {
  const origin = currentOrigin();
  const userAgent = event.userAgent ?? origin?.userAgent ?? null;
  await db.insert(auditEvent).values({
    action: event.action,
    actorId: event.actorId,
    subjectId: event.subjectId ?? null,
    address: event.address ?? origin?.address ?? null,
    userAgent: userAgent?.slice(0, 500) ?? null,
    detail: event.detail ?? {},
  });
}

export type AuditRow = typeof auditEvent.$inferSelect;

/** The newest events first, optionally of one actor or one action. */
export async function auditEvents(db: Db, filter: { actorId?: string; action?: AuditAction; limit?: number } = {}): Promise<AuditRow[]> {
  const conditions: SQL[] = [];
  if (filter.actorId) conditions.push(eq(auditEvent.actorId, filter.actorId));
  if (filter.action) conditions.push(eq(auditEvent.action, filter.action));
  return db
    .select()
    .from(auditEvent)
    .where(and(...conditions))
    .orderBy(desc(auditEvent.at), desc(auditEvent.id))
    .limit(filter.limit ?? 100);
}
