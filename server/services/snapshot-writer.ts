import type { Db } from "@/db/client";
import { log } from "@/server/log";
import { metrics } from "@/server/metrics";
import { recordSearch, type CanonicalQuery, type SnapshotOffer } from "@/server/services/snapshots";

interface Pending {
  query: CanonicalQuery;
  observedAt: Date;
  offers: SnapshotOffer[];
}

export interface SnapshotWriterOptions {
  /** Longest an observation waits before it is written. */
  maxDelayMs?: number;
  /** Rows that trigger a write at once. */
  maxRows?: number;
}

/**
 * Writes the snapshots of live searches behind the response: searches enqueue their
 * observations and answer at once; a flush writes everything gathered in one transaction
 * (each search still one idempotent statement). Fewer commits, no database time on the
 * request path, and a failed write can only be logged and counted, never fail a search.
 * An observation waits at most `maxDelayMs`; stopping the process may lose that much.
 */
export class SnapshotWriter {
  private pending: Pending[] = [];
  private pendingRows = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly options: SnapshotWriterOptions = {},
  ) {}

  enqueue(query: CanonicalQuery, observedAt: Date, offers: SnapshotOffer[]): void {
    this.pending.push({ query, observedAt, offers });
    this.pendingRows += offers.length;
    if (this.pendingRows >= (this.options.maxRows ?? 2_000)) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.maxDelayMs ?? 200);
  }

  /** Writes what is pending now; resolves when it (and any earlier flush) is done. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.pendingRows = 0;
    this.flushing = this.flushing.then(() => (batch.length ? this.write(batch) : undefined));
    return this.flushing;
  }

  private async write(batch: Pending[]): Promise<void> {
    const fail = (error: unknown, searches: number) => {
      // The travellers got their prices; the history misses these observations.
      metrics.snapshotWriteFailures += searches;
      log.error("price snapshots not written", { err: error, searches });
    };
    try {
      await this.db.transaction(async (tx) => {
        for (const { query, observedAt, offers } of batch) {
          // The embedded engine runs on this thread: between searches, let requests in.
          await new Promise((resolve) => setImmediate(resolve));
          try {
            // A savepoint each: one bad search does not undo the others.
            const { written } = await tx.transaction((savepoint) => recordSearch(savepoint as unknown as Db, query, observedAt, offers));
            metrics.snapshotRowsWritten += written;
          } catch (error) {
            fail(error, 1);
          }
        }
      });
    } catch (error) {
      fail(error, batch.length);
    }
  }
}
