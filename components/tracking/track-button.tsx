"use client";

import Link from "next/link";
import { useActionState } from "react";
import { trackAction, type TrackState } from "@/app/tracked/actions";
import { FormAlert } from "@/components/forms";

/**
 * "Track prices" for a search, a date or month of the date grid, or one flight: a form posting
 * the route (hidden fields) to trackAction, so it works without JavaScript. Signed out, it
 * goes through sign-in and comes back with the route tracked.
 */
export function TrackButton({ fields, label = "Track prices", compact = false }: { fields: Record<string, string | number | undefined>; label?: string; compact?: boolean }) {
  const [state, action, pending] = useActionState<TrackState, FormData>(trackAction, {});
  if (state.trackedId) {
    return (
      <p role="status" className="text-sm font-medium text-emerald-800 dark:text-emerald-300">
        ✓ Tracking.{" "}
        <Link href="/tracked" className="underline">
          See your tracked routes
        </Link>
      </p>
    );
  }
  return (
    <form action={action} className={compact ? "inline" : undefined}>
      {Object.entries(fields).map(([name, value]) => (value === undefined || value === "" ? null : <input key={name} type="hidden" name={name} value={String(value)} />))}
      <button
        type="submit"
        disabled={pending}
        className={
          compact
            ? "inline-flex items-center gap-1 rounded-lg border border-slate-300 px-2.5 py-1 text-xs font-medium hover:bg-slate-50 disabled:opacity-60 dark:border-slate-600 dark:hover:bg-slate-800"
            : "inline-flex items-center gap-2 rounded-lg border border-brand-600 px-3 py-1.5 text-sm font-semibold text-brand-700 hover:bg-brand-50 disabled:opacity-60 dark:text-brand-100 dark:hover:bg-slate-800"
        }
      >
        <BellIcon /> {pending ? "Tracking…" : label}
      </button>
      {state.error && <FormAlert className="mt-1">{state.error}</FormAlert>}
    </form>
  );
}

/** A bell, drawn (an emoji would depend on the system's fonts). */
function BellIcon() {
  return (
    <svg aria-hidden="true" width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}
