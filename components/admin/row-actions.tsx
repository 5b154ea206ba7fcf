"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { describeFailure } from "@/components/account/mutation-error";
import { useTRPC } from "@/components/trpc/client";
import { smallButtonClass } from "./ui";

/** "Refresh now" on a tracked query of the freshness page: one ingestion job for it, now. */
export function RefreshNowButton({ queryId, what }: { queryId: number; what: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const refresh = useMutation(trpc.admin.refreshNow.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <div className="flex flex-col items-start gap-1">
      <button
        type="button"
        className={`${smallButtonClass} whitespace-nowrap`}
        disabled={refresh.isPending}
        onClick={() => refresh.mutate({ queryIds: [queryId] })}
        aria-label={`Refresh now ${what}`}
      >
        {refresh.isPending ? "Queuing…" : "Refresh now"}
      </button>
      {refresh.error ? (
        <p role="alert" className="max-w-56 text-xs text-red-700 dark:text-red-400">
          {describeFailure(refresh.error).message}
        </p>
      ) : refresh.data ? (
        <p role="status" className="text-xs text-emerald-800 dark:text-emerald-300">
          {refresh.data.enqueued ? "Queued" : "Already waiting in the queue"}
        </p>
      ) : null}
    </div>
  );
}

/** "Retry" on a failed delivery; a refusal (a channel turned off, say) is shown beside it. */
export function RetryDeliveryButton({ deliveryId, what }: { deliveryId: string; what: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const retry = useMutation(trpc.admin.retryDelivery.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <div className="flex flex-col items-start gap-1">
      <button type="button" className={smallButtonClass} disabled={retry.isPending || retry.isSuccess} onClick={() => retry.mutate({ deliveryId })} aria-label={`Retry ${what}`}>
        {retry.isPending ? "Retrying…" : "Retry"}
      </button>
      {retry.error ? (
        <p role="alert" className="max-w-64 text-xs text-red-700 dark:text-red-400">
          {describeFailure(retry.error).message}
        </p>
      ) : retry.data ? (
        <p role="status" className="text-xs text-emerald-800 dark:text-emerald-300">
          Queued (attempt {retry.data.attempt})
        </p>
      ) : null}
    </div>
  );
}
