"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { FormAlert, inputClass } from "@/components/forms";
import type { ApiKeyScope } from "@/server/core/api-keys";
import { describeFailure } from "./mutation-error";

export interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created: string;
  lastUsed: string | null;
  expires: string | null;
  state: "active" | "revoked" | "expired";
}

const SCOPE_HELP: Record<ApiKeyScope, string> = {
  search: "search flights and airports",
  history: "read price history",
  "tracking:read": "read tracked routes",
  "tracking:write": "track, change and untrack routes",
  "alerts:read": "read alert rules, channels and notifications",
  "alerts:write": "change alert rules and channels, mark notifications read",
  admin: "the admin console's API, while you are an admin",
};

const EXPIRY_CHOICES = [
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
  { value: "", label: "Never (until revoked)" },
];

/** Making a key (shown once), and the account's keys by prefix, with revoking. `scopes`: those the viewer may choose (admin only for an admin). */
export function ApiKeysPanel({ keys, scopes }: { keys: KeyRow[]; scopes: ApiKeyScope[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<ApiKeyScope[]>(["search"]);
  const [expiry, setExpiry] = useState("90");
  const [copied, setCopied] = useState(false);
  const create = useMutation(
    trpc.apiKey.create.mutationOptions({
      onSuccess: () => {
        setName("");
        setCopied(false);
        router.refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.apiKey.revoke.mutationOptions({ onSuccess: () => router.refresh() }));
  const failure = create.error ? describeFailure(create.error) : null;
  const made = create.data;
  return (
    <div className="mt-3 space-y-5">
      {made ? (
        // A live region: screen readers announce the key when it appears.
        <div role="status" className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 dark:border-emerald-800 dark:bg-emerald-950">
          <p className="font-semibold">Your new key “{made.summary.name}”</p>
          <p className="mt-1 text-sm">Copy it now: it is shown this once and cannot be shown again.</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code data-testid="new-api-key" className="break-all rounded bg-white px-2 py-1 font-mono text-sm dark:bg-slate-900">
              {made.key}
            </code>
            <button
              type="button"
              onClick={() => navigator.clipboard.writeText(made.key).then(() => setCopied(true), () => setCopied(false))}
              className="rounded-lg border border-slate-300 px-3 py-1 text-sm hover:bg-white dark:border-slate-600 dark:hover:bg-slate-900"
            >
              {copied ? "Copied" : "Copy"}
            </button>
          </div>
        </div>
      ) : null}

      <form
        className="space-y-3"
        aria-label="New API key"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate({ name, scopes: chosen, ...(expiry ? { expiresInDays: Number(expiry) } : {}) });
        }}
      >
        <div className="flex flex-wrap gap-3">
          <label className="min-w-48 flex-1 text-sm font-medium">
            Key name
            <input
              name="name"
              value={name}
              maxLength={100}
              placeholder="e.g. price script"
              required
              onChange={(event) => setName(event.target.value)}
              aria-invalid={failure?.fields.name ? true : undefined}
              className={inputClass}
            />
          </label>
          <label className="text-sm font-medium">
            Expires after
            <select name="expiry" value={expiry} onChange={(event) => setExpiry(event.target.value)} className={inputClass}>
              {EXPIRY_CHOICES.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <fieldset>
          <legend className="text-sm font-medium">Scopes</legend>
          <div className="mt-1 flex flex-wrap gap-x-5 gap-y-1">
            {scopes.map((scope) => (
              <label key={scope} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  name="scopes"
                  value={scope}
                  checked={chosen.includes(scope)}
                  onChange={(event) => setChosen(event.target.checked ? [...chosen, scope] : chosen.filter((s) => s !== scope))}
                />
                <span>
                  <code>{scope}</code> <span className="text-slate-600 dark:text-slate-400">({SCOPE_HELP[scope]})</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <button
          type="submit"
          disabled={create.isPending}
          className="rounded-lg bg-brand-600 px-4 py-2 font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-70"
        >
          {create.isPending ? "Creating…" : "Create key"}
        </button>
        {failure ? (
          <FormAlert>{failure.message}</FormAlert>
        ) : null}
      </form>

      {keys.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No keys yet.</p>
      ) : (
        <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Your API keys">
          {keys.map((key) => (
            <li key={key.id} data-key-id={key.id} className="flex flex-wrap items-center justify-between gap-2 py-3">
              <div className={key.state === "active" ? "" : "opacity-60"}>
                <p className="font-medium">
                  {key.name} <code className="text-sm text-slate-600 dark:text-slate-400">{key.prefix}…</code>
                  {key.state === "active" ? null : <span className="ml-2 text-xs font-semibold uppercase">{key.state}</span>}
                </p>
                <p className="text-sm text-slate-600 dark:text-slate-400">
                  {key.scopes.join(", ")} · created {key.created} · {key.lastUsed ? `last used ${key.lastUsed}` : "never used"}
                  {key.expires ? ` · ${key.state === "expired" ? "expired" : "expires"} ${key.expires}` : ""}
                </p>
              </div>
              {key.state === "active" ? (
                <button
                  type="button"
                  disabled={revoke.isPending}
                  onClick={() => {
                    if (window.confirm(`Revoke “${key.name}”? Programs using it stop working at once.`)) revoke.mutate({ id: key.id });
                  }}
                  className="rounded-lg border border-red-300 px-3 py-1 text-sm text-red-800 hover:bg-red-50 disabled:opacity-60 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950"
                >
                  Revoke<span className="sr-only"> {key.name}</span>
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
