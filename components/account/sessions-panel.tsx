"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/components/trpc/client";
import { describeFailure } from "./mutation-error";

export interface SessionRow {
  id: string;
  current: boolean;
  device: string;
  address: string | null;
  signedIn: string;
  lastSeen: string | null;
}

/** The account's sessions: where each is signed in, ending one, or every other one. */
export function SessionsPanel({ sessions }: { sessions: SessionRow[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const endOne = useMutation(trpc.account.endSession.mutationOptions({ onSuccess: () => router.refresh() }));
  const endOthers = useMutation(trpc.account.endOtherSessions.mutationOptions({ onSuccess: () => router.refresh() }));
  const error = endOne.error ?? endOthers.error;
  const others = sessions.filter((session) => !session.current).length;
  return (
    <div className="mt-3">
      <ul className="divide-y divide-slate-200 dark:divide-slate-800">
        {sessions.map((session) => (
          <li key={session.id} className="flex flex-wrap items-center justify-between gap-2 py-3" data-session-id={session.id}>
            <div>
              <p className="font-medium">
                {session.device}
                {session.current ? (
                  <span className="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100">
                    This session
                  </span>
                ) : null}
              </p>
              <p className="text-sm text-slate-600 dark:text-slate-400">
                {session.address ? `${session.address} · ` : ""}signed in {session.signedIn}
                {session.lastSeen ? ` · last active ${session.lastSeen}` : ""}
              </p>
            </div>
            {session.current ? null : (
              <button
                type="button"
                disabled={endOne.isPending}
                onClick={() => endOne.mutate({ id: session.id })}
                className="rounded-lg border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 disabled:opacity-60 dark:border-slate-600 dark:hover:bg-slate-800"
              >
                Sign out<span className="sr-only"> {session.device}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <button
          type="button"
          disabled={others === 0 || endOthers.isPending}
          onClick={() => endOthers.mutate()}
          className="rounded-lg border border-slate-300 px-4 py-2 font-medium hover:bg-slate-100 disabled:opacity-50 dark:border-slate-600 dark:hover:bg-slate-800"
        >
          Sign out everywhere else
        </button>
        <p role="status" className="text-sm">
          {error ? (
            <span className="text-red-700 dark:text-red-400">{describeFailure(error).message}</span>
          ) : endOthers.data ? (
            `Signed out ${endOthers.data.ended} other ${endOthers.data.ended === 1 ? "session" : "sessions"}.`
          ) : null}
        </p>
      </div>
    </div>
  );
}
