import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";

/** Whether pg-boss's tables exist in `schema` (a worker has started once on this database). */
export async function queueTablesExist(db: Db, schema: string): Promise<boolean> {
  const [row] = await queryRows<{ ready: boolean }>(db, sql`SELECT to_regclass(${`${schema}.job`}) IS NOT NULL AS ready`);
  return Boolean(row?.ready);
}
