import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { describeError, hasTimescale } from "@/db/migrate";

/**
 * Runs TimescaleDB's policy jobs (compression, continuous aggregate refresh) by hand. A server
 * runs them in its background workers; the embedded engine has no background workers, so the
 * app calls this on start and then on a timer.
 */
export async function runTimescalePolicies(db: Db): Promise<{ ran: number; failed: string[] }> {
  if (!(await hasTimescale(db))) return { ran: 0, failed: [] };
  const jobs = await queryRows<{ job_id: number | string; proc_name: string }>(
    db,
    sql`SELECT job_id, proc_name FROM timescaledb_information.jobs WHERE hypertable_name IS NOT NULL ORDER BY job_id`,
  );
  const failed: string[] = [];
  for (const job of jobs) {
    try {
      await db.execute(sql.raw(`CALL run_job(${Number(job.job_id)})`));
    } catch (error) {
      failed.push(`${job.proc_name} (job ${job.job_id}): ${describeError(error)}`);
    }
  }
  return { ran: jobs.length - failed.length, failed };
}
