import type { Db } from "@/db/client";
import { recordSearches } from "@/db/queries/snapshots";
import { lowestOf, type Observation, type ObservationInput, type WrittenObservation } from "@/server/core/observation";
import { log } from "@/server/log";
import { metrics } from "@/server/metrics";
import { prom } from "@/server/observability/metrics";
import { activeContext, spanContextOf, withSpan } from "@/server/observability/tracing";
import type { Context, Link, Span } from "@opentelemetry/api";
import type { ObservationRegistry } from "./registry";

interface Pending {
  input: ObservationInput;
  resolve: (observation: Observation | null) => void;
  /** The trace it was recorded in (tracing on): its write is traced there. */
  trace?: Context;
}

export interface ObservationWriterOptions {
  /** Who hears of each observation written (none: the writer only writes). */
  observers?: ObservationRegistry;
  /** Longest an observation waits before it is written. */
  maxDelayMs?: number;
  /** Rows that trigger a write at once. */
  maxRows?: number;
}

// The embedded engine runs on this thread: between searches, let requests in.
const yieldToEventLoop = () => new Promise((resolve) => setImmediate(resolve));

/**
 * The write path of price observations. A fan-out hands over what it saw and may answer at
 * once; a flush writes everything gathered in one transaction of a few statements, whatever
 * their number (recordSearches: the `flight_query` upserts in one, the snapshots in one per
 * thousand rows, then what the on-write observers write for all of them). Should that fail,
 * the flush writes the observations again one by one, each in a savepoint of its own, so one
 * bad observation does not undo the others. After the commit each observation is published to
 * the observers. Fewer statements and commits, no database time on the request path, and a
 * failed write is logged and counted, never a failed search. An observation waits at most
 * `maxDelayMs`; stopping the process may lose that much.
 */
export class ObservationWriter {
  private pending: Pending[] = [];
  private pendingRows = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly options: ObservationWriterOptions = {},
  ) {}

  /**
   * Queues an observation; resolves once it is written and published (null when the write
   * failed). `immediate` writes it now instead of at the next flush.
   */
  record(input: ObservationInput, options: { immediate?: boolean } = {}): Promise<Observation | null> {
    const trace = activeContext();
    const written = new Promise<Observation | null>((resolve) => this.pending.push({ input, resolve, ...(trace ? { trace } : {}) }));
    this.pendingRows += input.snapshots.length;
    if (options.immediate || this.pendingRows >= (this.options.maxRows ?? 2_000)) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.maxDelayMs ?? 200);
    return written;
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

  /**
   * One batch, traced as `observations.write` in the trace of its first observation, linked to
   * the traces of the others (a batch serves several searches; a span has one parent).
   */
  private write(batch: Pending[]): Promise<void> {
    const links: Link[] = [];
    for (const item of batch.slice(1)) {
      const context = spanContextOf(item.trace);
      if (context) links.push({ context });
    }
    const attributes = { "db.system": "postgresql", "observations.count": batch.length, "observations.rows": batch.reduce((n, item) => n + item.input.snapshots.length, 0) };
    const write = async (span: Span) => {
      span.setAttribute("db.rows_written", await this.writeBatch(batch));
    };
    return withSpan("observations.write", attributes, write, { parent: batch[0]?.trace, links });
  }

  /** Returns the snapshot rows written. */
  private async writeBatch(batch: Pending[]): Promise<number> {
    let done: [Pending, Observation][];
    try {
      done = await this.db.transaction((tx) => this.writeAll(tx, batch));
    } catch (error) {
      if (batch.length === 1) {
        this.fail(batch, error);
        return 0;
      }
      log.warn("observation batch not written, writing its observations one by one", { err: error, searches: batch.length });
      done = await this.writeOneByOne(batch);
    }
    let rows = 0;
    for (const [item, observation] of done) {
      metrics.snapshotRowsWritten += observation.written;
      prom.snapshotRowsWritten.inc(observation.written);
      rows += observation.written;
      await this.options.observers?.committed(observation);
      item.resolve(observation);
    }
    return rows;
  }

  /** The travellers got their prices; the history misses these observations. */
  private fail(items: Pending[], error: unknown): void {
    metrics.snapshotWriteFailures += items.length;
    prom.snapshotWriteFailures.inc(items.length);
    log.error("price snapshots not written", { err: error, searches: items.length });
    for (const item of items) item.resolve(null);
  }

  /** Every observation of the batch, in the transaction given. */
  private async writeAll(tx: Db, batch: Pending[]): Promise<[Pending, Observation][]> {
    await yieldToEventLoop();
    const results = await recordSearches(
      tx,
      batch.map((item) => item.input),
      { betweenStatements: yieldToEventLoop },
    );
    const observations = batch.map(({ input }, i): WrittenObservation => ({
      queryId: results[i]!.queryId,
      query: input.query,
      observedAt: input.observedAt,
      lowest: lowestOf(input.snapshots),
      offerCount: input.snapshots.length,
      written: results[i]!.written,
      providers: input.providers,
      ...(input.run ? { run: input.run } : {}),
      snapshots: input.snapshots,
    }));
    await yieldToEventLoop();
    await this.options.observers?.written(observations, tx);
    // The offers were for the subscribers inside the write; the published observation goes without them.
    return batch.map((item, i) => [item, withoutSnapshots(observations[i]!)]);
  }

  /** After a failed batch: each observation in a savepoint of its own, so only the bad ones are lost. */
  private async writeOneByOne(batch: Pending[]): Promise<[Pending, Observation][]> {
    const done: [Pending, Observation][] = [];
    const failed = new Set<Pending>();
    try {
      await this.db.transaction(async (tx) => {
        for (const item of batch) {
          await yieldToEventLoop();
          try {
            done.push(...(await tx.transaction((savepoint) => this.writeAll(savepoint, [item]))));
          } catch (error) {
            failed.add(item);
            this.fail([item], error);
          }
        }
      });
    } catch (error) {
      this.fail(
        batch.filter((item) => !failed.has(item)),
        error,
      );
      return [];
    }
    return done;
  }
}

function withoutSnapshots({ snapshots: _snapshots, ...observation }: WrittenObservation): Observation {
  return observation;
}
