"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { describeFailure } from "@/components/account/mutation-error";
import { useTRPC } from "@/components/trpc/client";
import type { FailureKind } from "@/db/queries/admin";
import { dangerButtonClass, smallButtonClass } from "./ui";

type Selection = { runIds: number[] } | { group: { provider: string; kind: FailureKind } };

/**
 * Retry or discard dead-lettered runs: one run, or every one of a failure group. Discarding asks
 * to be confirmed (a second button), since it cannot be undone.
 */
export function DeadActions({ selection, count, what }: { selection: Selection; count: number; what: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const retry = useMutation(trpc.admin.retryDead.mutationOptions({ onSuccess: () => router.refresh() }));
  const discard = useMutation(
    trpc.admin.discardDead.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        router.refresh();
      },
    }),
  );
  const group = "group" in selection;
  // Named in full for screen readers (aria-label, starting with the visible words): a table has many.
  const retryWords = group ? `Retry all ${count}` : "Retry";
  const discardWords = group ? `Discard all ${count}` : "Discard";
  const confirmWords = group ? `Confirm: discard all ${count}` : "Confirm discard";
  const busy = retry.isPending || discard.isPending;
  const error = retry.error ?? discard.error;
  const done = retry.data
    ? retry.data.resolved
      ? `Retried ${retry.data.resolved}: ${retry.data.enqueued} job${retry.data.enqueued === 1 ? "" : "s"} queued.`
      : "Nothing to retry: already retried or discarded."
    : discard.data
      ? discard.data.resolved
        ? `Discarded ${discard.data.resolved}.`
        : "Nothing to discard: already retried or discarded."
      : null;
  return (
    <div className="flex flex-col items-start gap-1">
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={smallButtonClass} disabled={busy} onClick={() => retry.mutate(selection)} aria-label={`${retryWords} ${what}`}>
          {retry.isPending ? "Retrying…" : retryWords}
        </button>
        {confirming ? (
          <>
            <button type="button" className={dangerButtonClass} disabled={busy} onClick={() => discard.mutate(selection)} aria-label={`${confirmWords} ${what}`}>
              {discard.isPending ? "Discarding…" : confirmWords}
            </button>
            <button type="button" className={smallButtonClass} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" className={smallButtonClass} disabled={busy} onClick={() => setConfirming(true)} aria-label={`${discardWords} ${what}`}>
            {discardWords}
          </button>
        )}
      </div>
      {error ? (
        <p role="alert" className="text-xs text-red-700 dark:text-red-400">
          {describeFailure(error).message}
        </p>
      ) : done ? (
        <p role="status" className="text-xs text-emerald-800 dark:text-emerald-300">
          {done}
        </p>
      ) : null}
    </div>
  );
}
