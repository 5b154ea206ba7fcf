"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { describeFailure } from "@/components/account/mutation-error";
import { useTRPC } from "@/components/trpc/client";
import { ROLES, type Role } from "@/server/core/roles";
import { smallButtonClass } from "./ui";

/** A user's role: a select and Save; a refusal ("would leave no admin") is shown under it. */
export function RoleForm({ userId, role, who }: { userId: string; role: Role; who: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const [value, setValue] = useState<Role>(role);
  const save = useMutation(trpc.admin.setUserRole.mutationOptions({ onSuccess: () => router.refresh() }));
  const failure = save.error ? describeFailure(save.error) : null;
  return (
    <form
      className="flex flex-col items-start gap-1"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({ userId, role: value });
      }}
    >
      <div className="flex items-center gap-1">
        <label htmlFor={`${id}-role`} className="sr-only">
          Role of {who}
        </label>
        <select
          id={`${id}-role`}
          value={value}
          onChange={(event) => {
            setValue(event.target.value as Role);
            save.reset();
          }}
          className="rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
          {...(failure ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : {})}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <button type="submit" className={smallButtonClass} disabled={save.isPending || value === role} aria-label={`Save the role of ${who}`}>
          {save.isPending ? "Saving…" : "Save"}
        </button>
      </div>
      {failure ? (
        <p role="alert" id={`${id}-error`} className="max-w-56 text-xs text-red-700 dark:text-red-400">
          {failure.message}
        </p>
      ) : save.isSuccess ? (
        <p role="status" className="text-xs text-emerald-800 dark:text-emerald-300">
          Saved
        </p>
      ) : null}
    </form>
  );
}

/** Disable an account (it cannot sign in; its sessions end) or enable it again. */
export function DisableButton({ userId, disabled, who }: { userId: string; disabled: boolean; who: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const change = useMutation(trpc.admin.setUserDisabled.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <div className="flex flex-col items-start gap-1">
      <button type="button" className={smallButtonClass} disabled={change.isPending} onClick={() => change.mutate({ userId, disabled: !disabled })} aria-label={`${disabled ? "Enable" : "Disable"} ${who}`}>
        {change.isPending ? (disabled ? "Enabling…" : "Disabling…") : disabled ? "Enable" : "Disable"}
      </button>
      {change.error ? (
        <p role="alert" className="max-w-56 text-xs text-red-700 dark:text-red-400">
          {describeFailure(change.error).message}
        </p>
      ) : change.data && change.data.disabledAt ? (
        <p role="status" className="text-xs text-emerald-800 dark:text-emerald-300">
          Disabled; {change.data.sessionsEnded} session{change.data.sessionsEnded === 1 ? "" : "s"} ended
        </p>
      ) : null}
    </div>
  );
}
