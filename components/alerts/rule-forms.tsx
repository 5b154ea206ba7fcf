"use client";

import { useActionState, useState, useSyncExternalStore } from "react";
import { addRuleAction, setRouteChannelsAction, type AlertFormState } from "@/app/alerts/actions";
import { inputClass } from "@/components/forms";
import type { AlertRuleKind } from "@/server/core/alert-rules";
import type { ChannelKind } from "@/server/core/alerts";
import { DEFAULT_COOLDOWN_HOURS } from "@/server/core/alert-rules";
import { channelLabel, RULE_KIND_CHOICES } from "./describe";
import { FieldError, fieldProps, FormOutcome, OtherErrors, primaryButton, smallButton } from "./fields";

const noSubscription = () => () => {};

/** True once hydrated: before that (and without JavaScript) every kind's fields are shown. */
function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

const FIELDS_OF: Record<AlertRuleKind, string[]> = {
  below_target: ["targetAmount"],
  drop: ["dropPercent", "dropAmount"],
  new_low: ["floorPercent", "floorAmount"],
  insight_low: [],
};

/** A new rule for one tracked route: its kind, and the amounts that kind takes (in the route's currency). */
export function AddRuleForm({ trackedRouteId, currency, label }: { trackedRouteId: string; currency: string; label: string }) {
  const [state, action, pending] = useActionState<AlertFormState, FormData>(addRuleAction, {});
  const typed = state.error ? (state.values ?? {}) : {};
  const [kind, setKind] = useState<AlertRuleKind>((typed.kind as AlertRuleKind | undefined) ?? "below_target");
  const hydrated = useHydrated();
  const prefix = `rule-${trackedRouteId}`;
  const shows = (field: string) => !hydrated || FIELDS_OF[kind].includes(field);
  const numberInput = (name: string, text: string, options: { step: string; max: number; suffix?: string }) =>
    shows(name) ? (
      <label className="text-sm font-medium">
        {text}
        <input
          type="number"
          name={name}
          inputMode="decimal"
          min={0}
          max={options.max}
          step={options.step}
          defaultValue={typed[name] ?? ""}
          {...fieldProps(state, name, prefix)}
          className={inputClass}
        />
        <FieldError state={state} name={name} idPrefix={prefix} />
      </label>
    ) : null;
  return (
    <form action={action} className="grid gap-3 sm:grid-cols-3" aria-label={`Add an alert rule to ${label}`} noValidate>
      <input type="hidden" name="trackedRouteId" value={trackedRouteId} />
      <label className="text-sm font-medium">
        Alert me when
        <select
          name="kind"
          value={kind}
          onChange={(event) => setKind(event.target.value as AlertRuleKind)}
          {...fieldProps(state, "kind", prefix)}
          className={inputClass}
        >
          {RULE_KIND_CHOICES.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
        <FieldError state={state} name="kind" idPrefix={prefix} />
      </label>
      {numberInput("targetAmount", `Target price (${currency})`, { step: "0.01", max: 1_000_000 })}
      {numberInput("dropPercent", "Drop of (%)", { step: "0.1", max: 95 })}
      {numberInput("dropAmount", `or drop of (${currency})`, { step: "0.01", max: 1_000_000 })}
      {numberInput("floorPercent", "New low by at least (%)", { step: "0.1", max: 95 })}
      {numberInput("floorAmount", `and by at least (${currency})`, { step: "0.01", max: 1_000_000 })}
      <label className="text-sm font-medium">
        Then quiet for (hours)
        <input
          type="number"
          name="cooldownHours"
          min={0}
          max={720}
          step={1}
          defaultValue={typed.cooldownHours ?? String(DEFAULT_COOLDOWN_HOURS)}
          {...fieldProps(state, "cooldownHours", prefix)}
          className={inputClass}
        />
        <FieldError state={state} name="cooldownHours" idPrefix={prefix} />
      </label>
      {!hydrated ? (
        <p className="text-xs text-slate-600 dark:text-slate-400 sm:col-span-3">Fill in only the amounts of the kind you chose.</p>
      ) : null}
      <div className="sm:col-span-3">
        <OtherErrors state={state} shown={["kind", "targetAmount", "dropPercent", "dropAmount", "floorPercent", "floorAmount", "cooldownHours"]} />
      </div>
      <div className="flex flex-wrap items-center gap-3 sm:col-span-3">
        <button type="submit" disabled={pending} className={primaryButton}>
          {pending ? "Adding…" : "Add rule"}
        </button>
        <FormOutcome state={state} />
      </div>
    </form>
  );
}

export interface RouteChannelChoice {
  id: string;
  name: string;
  kind: ChannelKind;
  /** This route alerts on it. */
  on: boolean;
  /** The channel itself is turned off (for every route). */
  channelOff: boolean;
}

/** Which of the user's channels this route alerts on. */
export function RouteChannelsForm({ trackedRouteId, channels, label }: { trackedRouteId: string; channels: RouteChannelChoice[]; label: string }) {
  const [state, action, pending] = useActionState<AlertFormState, FormData>(setRouteChannelsAction, {});
  return (
    <form action={action}>
      <input type="hidden" name="trackedRouteId" value={trackedRouteId} />
      <fieldset>
        <legend className="sr-only">Send the alerts of {label} to</legend>
        <div className="flex flex-wrap gap-x-5 gap-y-1">
          {channels.map((channel) => (
            <label key={channel.id} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="channelIds" value={channel.id} defaultChecked={channel.on} />
              <span>
                {channelLabel(channel)}
                {channel.channelOff ? <span className="text-slate-600 dark:text-slate-400"> (turned off)</span> : null}
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <button type="submit" disabled={pending} className={smallButton}>
          {pending ? "Saving…" : "Save channels"}
        </button>
        <FormOutcome state={state} />
      </div>
    </form>
  );
}
