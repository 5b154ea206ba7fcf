import type { ReactNode } from "react";
import type { AlertFormState } from "@/app/alerts/actions";

/** The alert forms' pieces: a field's messages beside it, and the form's own line. */

/** The props that tie an input to its messages: aria-invalid and aria-describedby. */
export function fieldProps(state: AlertFormState, name: string, idPrefix: string) {
  const messages = state.fields?.[name];
  return messages?.length ? { "aria-invalid": true as const, "aria-describedby": `${idPrefix}-${name}-error` } : {};
}

/** A field's messages, under it; nothing when it has none. */
export function FieldError({ state, name, idPrefix }: { state: AlertFormState; name: string; idPrefix: string }) {
  const messages = state.fields?.[name];
  if (!messages?.length) return null;
  return (
    <span id={`${idPrefix}-${name}-error`} className="mt-1 block text-xs font-normal text-red-700 dark:text-red-400">
      {messages.join("; ")}
    </span>
  );
}

/** Messages for fields the form does not show (a field of the input that has no input of its own). */
export function OtherErrors({ state, shown }: { state: AlertFormState; shown: string[] }) {
  const rest = Object.entries(state.fields ?? {}).filter(([name]) => !shown.includes(name));
  if (rest.length === 0) return null;
  return (
    <ul className="text-xs text-red-700 dark:text-red-400">
      {rest.map(([name, messages]) => (
        <li key={name}>
          {name} {messages.join("; ")}
        </li>
      ))}
    </ul>
  );
}

/** The form's outcome, read out as it appears (a live region there from the start): an error, or what was done. */
export function FormOutcome({ state, className = "" }: { state: AlertFormState; className?: string }) {
  return (
    <p role="status" className={`text-sm ${state.error ? "text-red-700 dark:text-red-400" : "text-emerald-800 dark:text-emerald-300"} ${className}`.trim()}>
      {state.error ?? state.message ?? ""}
    </p>
  );
}

export const smallButton =
  "rounded-lg border border-slate-300 px-3 py-1 text-sm font-medium hover:bg-slate-50 disabled:opacity-60 dark:border-slate-600 dark:hover:bg-slate-800";
export const primaryButton = "rounded-lg bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-60";

export function Hint({ children }: { children: ReactNode }) {
  return <span className="mt-1 block text-xs font-normal text-slate-600 dark:text-slate-400">{children}</span>;
}

/** A form that turns a rule or a channel on or off; `label` names it for screen readers. Works without JavaScript. */
export function EnabledToggle({ action, id, enabled, label }: { action: (form: FormData) => Promise<void>; id: string; enabled: boolean; label: string }) {
  return (
    <form action={action}>
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="enabled" value={enabled ? "false" : "true"} />
      <button type="submit" className={smallButton}>
        {enabled ? "Turn off" : "Turn on"}
        <span className="sr-only"> {label}</span>
      </button>
    </form>
  );
}
