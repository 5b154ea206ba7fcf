import type { Db } from "@/db/client";
import type { Observation, WrittenObservation } from "@/server/core/observation";
import { log } from "@/server/log";
import { metrics } from "@/server/metrics";
import { prom } from "@/server/observability/metrics";

/**
 * Runs inside the transaction that writes the prices: what it writes commits or rolls back with
 * them. For work that must not be lost or done twice (provider statistics now; an outbox row or
 * a queue job for alert evaluation later). It gets every observation the write holds at once
 * (one statement for all of them is the point); its failure fails that write, which the writer
 * then retries observation by observation, so only the one that failed is lost.
 */
export type WriteSubscriber = (observations: WrittenObservation[], tx: Db) => Promise<void>;

/**
 * Runs in this process once the prices are committed. Best effort: a failure is logged and
 * counted, and neither the write nor the other subscribers notice.
 */
export type CommitSubscriber = (observation: Observation) => void | Promise<void>;

/**
 * Who hears "new prices were observed for this query". The write path (ObservationWriter)
 * calls it; subscribers are registered in one place, server/observations/subscribers.ts.
 */
export class ObservationRegistry {
  private readonly onWriteSubscribers: { name: string; run: WriteSubscriber }[] = [];
  private readonly onCommitSubscribers: { name: string; run: CommitSubscriber }[] = [];

  onWrite(name: string, run: WriteSubscriber): this {
    this.onWriteSubscribers.push({ name, run });
    return this;
  }

  onCommit(name: string, run: CommitSubscriber): this {
    this.onCommitSubscribers.push({ name, run });
    return this;
  }

  /** The subscribers by phase, for the health page and tests. */
  names(): { onWrite: string[]; onCommit: string[] } {
    return { onWrite: this.onWriteSubscribers.map((s) => s.name), onCommit: this.onCommitSubscribers.map((s) => s.name) };
  }

  /** Inside the write's transaction, in order; the first failure aborts the write. */
  async written(observations: WrittenObservation[], tx: Db): Promise<void> {
    for (const subscriber of this.onWriteSubscribers) await subscriber.run(observations, tx);
  }

  /** After the commit, all at once; resolves when every subscriber is done or has failed. */
  async committed(observation: Observation): Promise<void> {
    await Promise.all(
      this.onCommitSubscribers.map(async ({ name, run }) => {
        try {
          await run(observation);
        } catch (error) {
          metrics.observerFailures++;
          prom.observerFailures.inc();
          log.warn("observation subscriber failed", { subscriber: name, queryId: observation.queryId, err: error });
        }
      }),
    );
  }
}
