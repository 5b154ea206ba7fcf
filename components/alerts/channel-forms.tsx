"use client";

import { useActionState, useState } from "react";
import { addChannelAction, testChannelAction, type AlertFormState } from "@/app/alerts/actions";
import { inputClass } from "@/components/forms";
import { FieldError, fieldProps, FormOutcome, Hint, OtherErrors, primaryButton, smallButton } from "./fields";

/** A webhook's signing secret, this once, with a copy button (as a new API key is shown). */
function SecretOnce({ secret }: { secret: NonNullable<AlertFormState["secret"]> }) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="status" className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 dark:border-emerald-800 dark:bg-emerald-950">
      <p className="font-semibold">The signing secret of “{secret.channelName}”</p>
      <p className="mt-1 text-sm">
        Copy it now: it is shown this once and cannot be shown again. Your receiver checks each request&apos;s <code>webhook-signature</code> with it (Standard Webhooks).
      </p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code data-testid="webhook-secret" className="break-all rounded bg-white px-2 py-1 font-mono text-sm dark:bg-slate-900">
          {secret.value}
        </code>
        <button
          type="button"
          onClick={() => navigator.clipboard.writeText(secret.value).then(() => setCopied(true), () => setCopied(false))}
          className="rounded-lg border border-slate-300 px-3 py-1 text-sm hover:bg-white dark:border-slate-600 dark:hover:bg-slate-900"
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
    </div>
  );
}

/** Adding a webhook or a phone (ntfy topic): a name, the URL and, for ntfy, an optional access token. */
export function AddChannelForm({ kind }: { kind: "webhook" | "ntfy" }) {
  const [state, action, pending] = useActionState<AlertFormState, FormData>(addChannelAction, {});
  const prefix = `add-${kind}`;
  const values = state.error ? (state.values ?? {}) : {};
  return (
    <div className="space-y-3">
      {state.secret ? <SecretOnce secret={state.secret} /> : null}
      <form action={action} className="grid gap-3 sm:grid-cols-2" aria-label={kind === "webhook" ? "Add a webhook" : "Add a phone (ntfy)"} noValidate>
        <input type="hidden" name="kind" value={kind} />
        <label className="text-sm font-medium">
          Name
          <input
            name="name"
            defaultValue={values.name ?? ""}
            maxLength={80}
            placeholder={kind === "webhook" ? "Webhook" : "Phone (ntfy)"}
            {...fieldProps(state, "name", prefix)}
            className={inputClass}
          />
          <FieldError state={state} name="name" idPrefix={prefix} />
        </label>
        <label className="text-sm font-medium">
          {kind === "webhook" ? "Webhook URL" : "Topic URL"}
          <input
            name="url"
            type="url"
            inputMode="url"
            required
            defaultValue={values.url ?? ""}
            maxLength={2000}
            placeholder={kind === "webhook" ? "https://example.com/hooks/flights" : "https://ntfy.sh/my-flight-alerts-7f3a"}
            {...fieldProps(state, "url", prefix)}
            className={inputClass}
          />
          <FieldError state={state} name="url" idPrefix={prefix} />
          {kind === "ntfy" ? <Hint>A topic name nobody could guess: anyone who knows it can read it.</Hint> : null}
        </label>
        {kind === "ntfy" ? (
          <label className="text-sm font-medium">
            Access token <span className="font-normal text-slate-600 dark:text-slate-400">(optional)</span>
            <input name="token" type="password" autoComplete="off" maxLength={200} {...fieldProps(state, "token", prefix)} className={inputClass} />
            <FieldError state={state} name="token" idPrefix={prefix} />
            <Hint>For a protected topic; kept encrypted.</Hint>
          </label>
        ) : null}
        <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
          <button type="submit" disabled={pending} className={primaryButton}>
            {pending ? "Adding…" : kind === "webhook" ? "Add webhook" : "Add phone"}
          </button>
          <FormOutcome state={{ error: state.error, message: state.secret ? undefined : state.message }} />
        </div>
        <div className="sm:col-span-2">
          <OtherErrors state={state} shown={["name", "url", "token"]} />
        </div>
      </form>
    </div>
  );
}

/** Alerts by email to the account's own address, when it has no email channel. */
export function AddEmailChannel({ email }: { email: string }) {
  const [state, action, pending] = useActionState<AlertFormState, FormData>(addChannelAction, {});
  return (
    <form action={action} className="flex flex-wrap items-center gap-3">
      <input type="hidden" name="kind" value="email" />
      <button type="submit" disabled={pending} className={primaryButton}>
        {pending ? "Adding…" : `Email alerts to ${email}`}
      </button>
      <FormOutcome state={{ error: state.fields ? Object.values(state.fields).flat().join("; ") : state.error, message: state.message }} />
    </form>
  );
}

/** "Send test": a message to the channel now, and what came of it. */
export function TestChannelButton({ channelId, name }: { channelId: string; name: string }) {
  const [state, action, pending] = useActionState<AlertFormState, FormData>(testChannelAction, {});
  const outcome = state.test;
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="id" value={channelId} />
      <button type="submit" disabled={pending} className={smallButton}>
        {pending ? "Sending…" : "Send test"}
        <span className="sr-only"> to {name}</span>
      </button>
      <span role="status" data-testid="test-outcome" className={`text-sm ${outcome && !outcome.ok ? "text-red-700 dark:text-red-400" : "text-emerald-800 dark:text-emerald-300"}`}>
        {state.error
          ? state.error
          : outcome
            ? outcome.ok
              ? `Sent${outcome.status !== null ? ` (${outcome.status})` : ""} in ${outcome.durationMs} ms.`
              : `Failed${outcome.status !== null ? ` (${outcome.status})` : ""}: ${outcome.error ?? "no answer"}.`
            : ""}
      </span>
    </form>
  );
}
