"use client";

import { useActionState } from "react";
import { editTrackedAction, type TrackState } from "@/app/tracked/actions";
import { FormAlert, inputClass } from "@/components/forms";
import type { TrackedRouteView } from "@/server/services/tracking/tracked-routes";

/** The Tracked page's edit form: a route's dates (or window and stay) and stops; saving starts its history again. */
export function EditTracked({ route }: { route: TrackedRouteView }) {
  const [state, action, pending] = useActionState<TrackState, FormData>(editTrackedAction, {});
  const flexible = route.kind === "flexible";
  return (
    <form action={action} className="mt-3 grid gap-3 sm:grid-cols-4" aria-label={`Edit ${route.originCode} to ${route.destinationCode}`}>
      <input type="hidden" name="id" value={route.id} />
      {flexible ? (
        <>
          <label className="text-sm font-medium">
            Departing from
            <input type="date" name="departFrom" defaultValue={route.departFrom ?? ""} required className={inputClass} />
          </label>
          <label className="text-sm font-medium">
            Departing until
            <input type="date" name="departTo" defaultValue={route.departTo ?? ""} required className={inputClass} />
          </label>
          {route.nights && (
            <>
              <label className="text-sm font-medium">
                Nights from
                <input type="number" name="nightsMin" min={0} max={30} defaultValue={route.nights.min} className={inputClass} />
              </label>
              <label className="text-sm font-medium">
                Nights up to
                <input type="number" name="nightsMax" min={0} max={30} defaultValue={route.nights.max} className={inputClass} />
              </label>
            </>
          )}
        </>
      ) : (
        <>
          <label className="text-sm font-medium">
            Departure
            <input type="date" name="departureDate" defaultValue={route.departureDate ?? ""} required className={inputClass} />
          </label>
          {route.returnDate && (
            <label className="text-sm font-medium">
              Return
              <input type="date" name="returnDate" defaultValue={route.returnDate} className={inputClass} />
            </label>
          )}
        </>
      )}
      {route.kind !== "itinerary" && (
        <label className="text-sm font-medium">
          Stops
          <select name="maxStops" defaultValue={route.filters.maxStops === null ? "" : String(route.filters.maxStops)} className={inputClass}>
            <option value="">Any</option>
            <option value="0">Nonstop only</option>
            <option value="1">1 stop at most</option>
            <option value="2">2 stops at most</option>
          </select>
        </label>
      )}
      <div className="flex items-end gap-2 sm:col-span-4">
        <button type="submit" disabled={pending} className="rounded-lg bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-60">
          {pending ? "Saving…" : "Save"}
        </button>
        <span className="text-xs text-slate-600 dark:text-slate-400">Saving starts the route&apos;s price history again.</span>
      </div>
      {state.error && <FormAlert className="sm:col-span-4">{state.error}</FormAlert>}
      {state.trackedId && !state.error && (
        <p role="status" className="text-sm text-emerald-800 sm:col-span-4 dark:text-emerald-300">
          Saved.
        </p>
      )}
    </form>
  );
}
