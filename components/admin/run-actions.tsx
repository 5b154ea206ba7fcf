"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { describeFailure } from "@/components/account/mutation-error";
import { formatMoment } from "@/components/format";
import { useTRPC } from "@/components/trpc/client";
import type { RunView } from "@/db/queries/admin";
import type { RunDetail } from "@/server/services/admin/ingestion";
import { formatMs } from "./format";
import { runHref } from "./run-bits";
import { Badge, buttonClass, dangerButtonClass, primaryButtonClass, RUN_STATUS_TONES, sectionClass } from "./ui";

/** How often a retried run's page asks how the retry went. */
const POLL_MS = 2_000;
/** About ten minutes of asking; a reload asks again. */
const MAX_POLLS = 300;

/** The retry is over: its latest run succeeded, or failed for good (dead-lettered again). */
function settled(retryRuns: RunView[]): boolean {
  const last = retryRuns.at(-1);
  return Boolean(last && (last.status === "succeeded" || (last.status === "failed" && last.resolution !== null)));
}

/**
 * A run's actions and its retry: for a dead-lettered run, Retry and Discard (confirmed); once
 * retried, the runs of the job the retry queued, asked for every 2 s until one settles.
 */
export function RunActions({ initial }: { initial: RunDetail }) {
  const trpc = useTRPC();
  const router = useRouter();
  const id = initial.run.id;
  const [confirming, setConfirming] = useState(false);
  const [retriedHere, setRetriedHere] = useState(false);
  const retry = useMutation(
    trpc.admin.retryDead.mutationOptions({
      onSuccess: () => {
        setRetriedHere(true);
        router.refresh();
      },
    }),
  );
  const discard = useMutation(trpc.admin.discardDead.mutationOptions({ onSuccess: () => router.refresh() }));
  const retried = retriedHere || initial.run.resolution === "retried";
  const detail = useQuery({
    ...trpc.admin.run.queryOptions({ id }),
    initialData: initial,
    enabled: retried,
    refetchInterval: (query) => (settled(query.state.data?.retryRuns ?? []) || query.state.dataUpdateCount > MAX_POLLS ? false : POLL_MS),
  });
  const retryRuns = detail.data.retryRuns;
  // The server's render is the truth (a mutation renders it again); the cache may be older.
  const resolution = retriedHere ? "retried" : initial.run.resolution;
  const error = retry.error ?? discard.error;
  const last = retryRuns.at(-1);
  const status = last ? last.status : "queued";

  return (
    <div className="space-y-4">
      {resolution === "dead" ? (
        <section aria-labelledby="dead-title" className={`${sectionClass} border-red-300 dark:border-red-900`}>
          <h2 id="dead-title" className="text-lg font-semibold">
            Dead-lettered
          </h2>
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
            Every attempt of this job failed; it waits for an admin. Retry runs its query once more as a new job; Discard gives up on it.
          </p>
          <div className="mt-3 flex flex-wrap items-center gap-2">
            <button type="button" className={primaryButtonClass} disabled={retry.isPending || discard.isPending} onClick={() => retry.mutate({ runIds: [id] })}>
              {retry.isPending ? "Retrying…" : "Retry"}
            </button>
            {confirming ? (
              <>
                <button type="button" className={dangerButtonClass} disabled={discard.isPending} onClick={() => discard.mutate({ runIds: [id] })}>
                  {discard.isPending ? "Discarding…" : `Discard run #${id} for good`}
                </button>
                <button type="button" className={buttonClass} onClick={() => setConfirming(false)}>
                  Cancel
                </button>
              </>
            ) : (
              <button type="button" className={buttonClass} disabled={retry.isPending || discard.isPending} onClick={() => setConfirming(true)}>
                Discard
              </button>
            )}
          </div>
          {confirming ? <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">Discarding cannot be undone: its query is refreshed again only on its next scheduled time.</p> : null}
        </section>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {describeFailure(error).message}
        </p>
      ) : null}
      {retry.data && retry.data.resolved === 0 ? (
        <p role="status" className="text-sm">Nothing was retried: this run was already retried or discarded.</p>
      ) : null}
      {discard.data ? (
        <p role="status" className="text-sm">
          {discard.data.resolved ? "Discarded: this job will not run again." : "Nothing was discarded: this run was already retried or discarded."}
        </p>
      ) : null}

      {retried ? (
        <section aria-labelledby="retry-title" className={sectionClass} data-testid="retry-panel">
          <h2 id="retry-title" className="text-lg font-semibold">
            Retry
          </h2>
          <p className="mt-1 text-sm" aria-live="polite">
            Retried as a new job:{" "}
            <Badge tone={RUN_STATUS_TONES[status] ?? "neutral"} testId="retry-run-status">
              {status}
            </Badge>
            {last ? null : <span className="text-slate-600 dark:text-slate-400"> (waiting for a worker to take it)</span>}
            {settled(retryRuns) ? null : <span className="text-slate-600 dark:text-slate-400"> · checking every 2 s</span>}
          </p>
          {retryRuns.length ? (
            <ul className="mt-2 space-y-1 text-sm">
              {retryRuns.map((r) => (
                <li key={r.id} className="flex flex-wrap items-center gap-2">
                  <Link href={runHref(r.id)} className="underline">
                    Run #{r.id}
                  </Link>
                  <span>attempt {r.attempt}</span>
                  <Badge tone={RUN_STATUS_TONES[r.status] ?? "neutral"}>{r.status}</Badge>
                  <span className="text-slate-600 dark:text-slate-400">
                    started {formatMoment(r.startedAt)}
                    {r.durationMs !== null ? ` · took ${formatMs(r.durationMs)}` : ""} · {r.snapshotsWritten} snapshots
                  </span>
                  {r.error ? <span className="text-red-700 dark:text-red-400">{r.error}</span> : null}
                </li>
              ))}
            </ul>
          ) : null}
          {detail.isRefetchError ? (
            <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
              Could not ask how the retry went ({describeFailure(detail.error).message}); trying again.
            </p>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
