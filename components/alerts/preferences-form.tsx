"use client";

import { useActionState, useRef, useSyncExternalStore } from "react";
import { savePreferencesAction, type AlertFormState } from "@/app/alerts/actions";
import { inputClass } from "@/components/forms";
import type { AlertPreferences } from "@/server/core/alerts";
import { minutesToClock } from "./describe";
import { FieldError, fieldProps, FormOutcome, Hint, OtherErrors, primaryButton } from "./fields";

const PREFIX = "prefs";
const noSubscription = () => () => {};

/** The browser's own time zone, once hydrated (the server knows none). */
function useBrowserTimeZone(): string | null {
  return useSyncExternalStore(
    noSubscription,
    () => Intl.DateTimeFormat().resolvedOptions().timeZone ?? null,
    () => null,
  );
}

/** How and when alerts reach the user: instant or a daily digest, time zone, quiet hours, a daily cap. */
export function PreferencesForm({ preferences, timeZones }: { preferences: AlertPreferences; timeZones: string[] }) {
  const [state, action, pending] = useActionState<AlertFormState, FormData>(savePreferencesAction, {});
  const browserZone = useBrowserTimeZone();
  const zoneSelect = useRef<HTMLSelectElement>(null);
  // After a failure, what was typed; else what is saved.
  const typed = state.error ? state.values : undefined;
  const value = (name: string, saved: string) => typed?.[name] ?? saved;
  const quietOn = typed ? typed.quiet === "on" : preferences.quietHours !== null;
  const zones = timeZones.includes(preferences.timeZone) ? timeZones : [preferences.timeZone, ...timeZones];
  return (
    <form action={action} className="mt-3 space-y-4" aria-label="Alert preferences" noValidate>
      <fieldset>
        <legend className="text-sm font-medium">Email alerts</legend>
        <div className="mt-1 space-y-1 text-sm">
          <label className="flex items-start gap-2">
            <input type="radio" name="mode" value="instant" defaultChecked={value("mode", preferences.mode) === "instant"} className="mt-1" />
            <span>Each alert as it happens</span>
          </label>
          <label className="flex items-start gap-2">
            <input type="radio" name="mode" value="digest" defaultChecked={value("mode", preferences.mode) === "digest"} className="mt-1" />
            <span>One email a day, a digest of the changes (webhooks and phone stay instant)</span>
          </label>
        </div>
        <FieldError state={state} name="mode" idPrefix={PREFIX} />
      </fieldset>
      <div className="grid gap-3 sm:grid-cols-2">
        <label className="text-sm font-medium">
          Digest sent at
          <select name="digestHour" defaultValue={value("digestHour", String(preferences.digestHour))} {...fieldProps(state, "digestHour", PREFIX)} className={inputClass}>
            {Array.from({ length: 24 }, (_, hour) => (
              <option key={hour} value={hour}>
                {minutesToClock(hour * 60)}
              </option>
            ))}
          </select>
          <FieldError state={state} name="digestHour" idPrefix={PREFIX} />
        </label>
        <label className="text-sm font-medium">
          Time zone
          <select ref={zoneSelect} name="timeZone" defaultValue={value("timeZone", preferences.timeZone)} {...fieldProps(state, "timeZone", PREFIX)} className={inputClass}>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, " ")}
              </option>
            ))}
          </select>
          <FieldError state={state} name="timeZone" idPrefix={PREFIX} />
          {browserZone && browserZone !== preferences.timeZone && zones.includes(browserZone) ? (
            <Hint>
              This browser is on {browserZone.replace(/_/g, " ")}.{" "}
              <button
                type="button"
                className="font-medium underline"
                onClick={() => {
                  if (zoneSelect.current) zoneSelect.current.value = browserZone;
                }}
              >
                Use it
              </button>
            </Hint>
          ) : null}
        </label>
      </div>
      <fieldset className="rounded-lg border border-slate-200 p-3 dark:border-slate-700">
        <legend className="px-1 text-sm font-medium">Quiet hours</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="quiet" defaultChecked={quietOn} />
          No email or phone alerts between these times (they wait until the end; webhooks are not held)
        </label>
        <div className="mt-2 grid grid-cols-2 gap-3">
          <label className="text-sm font-medium">
            From
            <input
              type="time"
              name="quietStart"
              defaultValue={value("quietStart", minutesToClock(preferences.quietHours?.start ?? 22 * 60))}
              {...fieldProps(state, "quietStart", PREFIX)}
              className={inputClass}
            />
            <FieldError state={state} name="quietStart" idPrefix={PREFIX} />
          </label>
          <label className="text-sm font-medium">
            Until
            <input
              type="time"
              name="quietEnd"
              defaultValue={value("quietEnd", minutesToClock(preferences.quietHours?.end ?? 7 * 60))}
              {...fieldProps(state, "quietEnd", PREFIX)}
              className={inputClass}
            />
            <FieldError state={state} name="quietEnd" idPrefix={PREFIX} />
          </label>
        </div>
        <FieldError state={state} name="quietHours" idPrefix={PREFIX} />
      </fieldset>
      <label className="block max-w-xs text-sm font-medium">
        At most this many alerts a day
        <input
          type="number"
          name="dailyCap"
          min={1}
          max={200}
          step={1}
          defaultValue={value("dailyCap", String(preferences.dailyCap))}
          {...fieldProps(state, "dailyCap", PREFIX)}
          className={inputClass}
        />
        <FieldError state={state} name="dailyCap" idPrefix={PREFIX} />
        <Hint>On email, webhook and phone together; the rest are in the app only.</Hint>
      </label>
      <OtherErrors state={state} shown={["mode", "digestHour", "timeZone", "quietStart", "quietEnd", "quietHours", "dailyCap"]} />
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={pending} className={primaryButton}>
          {pending ? "Saving…" : "Save preferences"}
        </button>
        <FormOutcome state={state} />
      </div>
    </form>
  );
}
