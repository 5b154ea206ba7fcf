import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { appSetting } from "@/db/schema";

/** Small facts about this database (the demo history's version, ...), by key. */
export async function getSetting(db: Db, key: string): Promise<string | null> {
  const rows = await db.select({ value: appSetting.value }).from(appSetting).where(eq(appSetting.key, key));
  return rows[0]?.value ?? null;
}

export async function putSetting(db: Db, key: string, value: string): Promise<void> {
  await db
    .insert(appSetting)
    .values({ key, value })
    .onConflictDoUpdate({ target: appSetting.key, set: { value, updatedAt: sql`now()` } });
}
