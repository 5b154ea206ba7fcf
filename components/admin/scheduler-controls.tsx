"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { describeFailure } from "@/components/account/mutation-error";
import { useTRPC } from "@/components/trpc/client";
import type { ProviderPause as SchedulerPause } from "@/server/providers/pauses";
import { buttonClass, fieldClass, labelClass, primaryButtonClass } from "./ui";

/** How often an admin page asks whether the scheduler's pause changed (another admin, another tab). */
const WATCH_MS = 15_000;

/** Pausing (for maintenance) or resuming the scheduler; every admin page shows the change at once. */
function useSchedulerPause() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.admin.setSchedulerPaused.mutationOptions({
      onSuccess: async () => {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.admin.schedulerPause.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.admin.overview.queryKey() }),
        ]);
        router.refresh();
      },
    }),
  );
}

/** The banner's "Resume" button. */
export function ResumeSchedulerButton() {
  const resume = useSchedulerPause();
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button type="button" className={primaryButtonClass} disabled={resume.isPending} onClick={() => resume.mutate({ paused: false })}>
        {resume.isPending ? "Resuming…" : "Resume scheduler"}
      </button>
      {resume.error ? (
        <p role="alert" className="text-sm text-red-800 dark:text-red-200">
          {describeFailure(resume.error).message}
        </p>
      ) : null}
    </div>
  );
}

/** The overview's maintenance form: pause with an optional reason, or resume. */
export function SchedulerPauseForm({ paused }: { paused: boolean }) {
  const id = useId();
  const [reason, setReason] = useState("");
  const change = useSchedulerPause();
  const failure = change.error ? describeFailure(change.error) : null;
  if (paused) {
    return (
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className={primaryButtonClass} disabled={change.isPending} onClick={() => change.mutate({ paused: false })}>
          {change.isPending ? "Resuming…" : "Resume scheduler"}
        </button>
        {failure ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {failure.message}
          </p>
        ) : null}
      </div>
    );
  }
  return (
    <form
      className="flex flex-wrap items-end gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        change.mutate({ paused: true, ...(reason.trim() ? { reason: reason.trim() } : {}) }, { onSuccess: () => setReason("") });
      }}
    >
      <label className={`${labelClass} min-w-0 flex-1 basis-60`}>
        Reason <span className="font-normal text-slate-600 dark:text-slate-400">(optional, shown to other admins)</span>
        <input
          name="reason"
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          maxLength={200}
          placeholder="Database upgrade until 14:00 UTC"
          className={fieldClass}
          {...(failure?.fields.reason ? { "aria-invalid": true, "aria-describedby": `${id}-reason` } : {})}
        />
      </label>
      <button type="submit" className={buttonClass} disabled={change.isPending}>
        {change.isPending ? "Pausing…" : "Pause scheduler (maintenance)"}
      </button>
      {failure ? (
        <p role="alert" id={`${id}-reason`} className="basis-full text-sm text-red-700 dark:text-red-400">
          {failure.message}
        </p>
      ) : null}
    </form>
  );
}

/**
 * Asks every 15 s (while the tab is visible) whether the scheduler's pause changed since the
 * page was rendered, and renders the page again when it did: the banner then says who, when
 * and why (names are the server's to look up).
 */
export function SchedulerPauseWatch({ pause }: { pause: SchedulerPause | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const current = useQuery({ ...trpc.admin.schedulerPause.queryOptions(), initialData: pause, refetchInterval: WATCH_MS, staleTime: WATCH_MS - 1_000 });
  const seen = current.data?.pausedAt ?? null;
  const rendered = pause?.pausedAt ?? null;
  useEffect(() => {
    if (seen !== rendered) router.refresh();
  }, [seen, rendered, router]);
  return null;
}
