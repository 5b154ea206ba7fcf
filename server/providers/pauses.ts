import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { getSetting, putSetting } from "@/db/queries/app-settings";
import { appSetting } from "@/db/schema";

/**
 * Providers an admin paused (issue 13): neither live searches nor scheduled ingestion call
 * them until resumed. Kept in the database (app_setting), so every instance and worker honours
 * a pause; each process reads it at most once a second (and at once after its own change).
 */

export const PAUSED_PROVIDERS_SETTING = "providers.paused";

export interface ProviderPause {
  pausedAt: string;
  /** The admin's user id. */
  pausedBy: string | null;
  reason: string | null;
}

export type PausedProviders = Record<string, ProviderPause>;

/** How stale a process's view of the pauses may be. */
export const PAUSES_CACHE_MS = 1_000;

export async function readPausedProviders(db: Db): Promise<PausedProviders> {
  const raw = await getSetting(db, PAUSED_PROVIDERS_SETTING);
  return raw ? (JSON.parse(raw) as PausedProviders) : {};
}

/**
 * Pauses or resumes one provider; returns what is paused afterwards. Call it in a transaction: the
 * setting's row is locked until it ends, so two admins pausing two providers at once take turns
 * (reading the map unlocked, the second write dropped the first pause).
 */
export async function setProviderPaused(db: Db, provider: string, pause: ProviderPause | null): Promise<PausedProviders> {
  await db.insert(appSetting).values({ key: PAUSED_PROVIDERS_SETTING, value: "{}" }).onConflictDoNothing();
  const [row] = await db.select({ value: appSetting.value }).from(appSetting).where(eq(appSetting.key, PAUSED_PROVIDERS_SETTING)).for("update");
  const { [provider]: _previous, ...others } = row?.value ? (JSON.parse(row.value) as PausedProviders) : {};
  const next = pause ? { ...others, [provider]: pause } : others;
  await putSetting(db, PAUSED_PROVIDERS_SETTING, JSON.stringify(next));
  return next;
}

/** This process's view of the pauses: read at most once a second; a failed read pauses nothing. */
export class ProviderPauses {
  private cached: { at: number; value: Promise<PausedProviders> } | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {}

  current(): Promise<PausedProviders> {
    if (!this.cached || this.clock() - this.cached.at >= PAUSES_CACHE_MS) {
      this.cached = { at: this.clock(), value: readPausedProviders(this.db).catch(() => ({})) };
    }
    return this.cached.value;
  }

  /** Forgets what was read (after this process changed it). */
  invalidate(): void {
    this.cached = null;
  }
}

/** The whole scheduler paused by an admin (maintenance): no scheduled ingestion is handed over. */
export const SCHEDULER_PAUSED_SETTING = "scheduler.paused";

export async function readSchedulerPause(db: Db): Promise<ProviderPause | null> {
  const raw = await getSetting(db, SCHEDULER_PAUSED_SETTING);
  const value = raw ? (JSON.parse(raw) as ProviderPause | null) : null;
  return value && value.pausedAt ? value : null;
}

export async function writeSchedulerPause(db: Db, pause: ProviderPause | null): Promise<void> {
  await putSetting(db, SCHEDULER_PAUSED_SETTING, JSON.stringify(pause));
}
