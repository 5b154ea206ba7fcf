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
            ? "rounded-lg border border-slate-300 px-2.5 py-1 text-xs font-medium hover:bg-slate-50 disabled:opacity-60 dark:border-slate-600 dark:hover:bg-slate-800"
            : "inline-flex items-center gap-2 rounded-lg border border-brand-600 px-3 py-1.5 text-sm font-semibold text-brand-700 hover:bg-brand-50 disabled:opacity-60 dark:text-brand-100 dark:hover:bg-slate-800"
        }
      >
        <span aria-hidden="true">🔔</span> {pending ? "Tracking…" : label}
      </button>
      {state.error && <FormAlert className="mt-1">{state.error}</FormAlert>}
    </form>
  );
}
