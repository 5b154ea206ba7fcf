"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { FormAlert, inputClass } from "@/components/forms";
import { describeFailure } from "./mutation-error";

const buttonClass = "rounded-lg border border-slate-300 px-4 py-2 font-medium hover:bg-slate-100 disabled:opacity-60 dark:border-slate-600 dark:hover:bg-slate-800";

/** The user's name, as the header and (later) alert emails show it. */
export function ProfileForm({ name }: { name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [value, setValue] = useState(name);
  const save = useMutation(trpc.account.updateProfile.mutationOptions({ onSuccess: () => router.refresh() }));
  const failure = save.error ? describeFailure(save.error) : null;
  return (
    <form
      className="mt-3 flex flex-wrap items-end gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({ name: value });
      }}
    >
      <label className="min-w-56 flex-1 text-sm font-medium">
        Name
        <input
          name="name"
          value={value}
          maxLength={100}
          autoComplete="name"
          onChange={(event) => setValue(event.target.value)}
          aria-invalid={failure ? true : undefined}
          aria-describedby={failure ? "profile-status" : undefined}
          className={inputClass}
        />
      </label>
      <button type="submit" disabled={save.isPending} className={buttonClass}>
        {save.isPending ? "Saving…" : "Save"}
      </button>
      <p id="profile-status" role="status" className="w-full text-sm">
        {failure ? <span className="text-red-700 dark:text-red-400">{failure.message}</span> : save.isSuccess ? "Saved." : null}
      </p>
    </form>
  );
}

/** Deleting the account, once its email address is typed to confirm. Everything it owns goes with it. */
export function DeleteAccount({ email }: { email: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [confirmEmail, setConfirmEmail] = useState("");
  // Home, with the header re-rendered signed out.
  const remove = useMutation(
    trpc.account.delete.mutationOptions({
      onSuccess: () => {
        router.replace("/");
        router.refresh();
      },
    }),
  );
  const failure = remove.error ? describeFailure(remove.error) : null;
  return (
    <details className="mt-6 rounded-lg border border-red-200 p-4 dark:border-red-900">
      <summary className="cursor-pointer font-medium text-red-800 dark:text-red-300">Delete account</summary>
      <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
        This deletes the account and everything it holds, signs out every session and stops every API key. It cannot be undone. Type{" "}
        <strong>{email}</strong> to confirm.
      </p>
      <form
        className="mt-3 flex flex-wrap items-end gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          remove.mutate({ confirmEmail });
        }}
      >
        <label className="min-w-56 flex-1 text-sm font-medium">
          Your email address
          <input
            name="confirmEmail"
            type="email"
            autoComplete="off"
            value={confirmEmail}
            onChange={(event) => setConfirmEmail(event.target.value)}
            aria-invalid={failure ? true : undefined}
            className={inputClass}
          />
        </label>
        <button
          type="submit"
          disabled={remove.isPending || confirmEmail.trim().toLowerCase() !== email.toLowerCase()}
          className="rounded-lg bg-red-700 px-4 py-2 font-semibold text-white hover:bg-red-800 disabled:opacity-50"
        >
          {remove.isPending ? "Deleting…" : "Delete my account"}
        </button>
        {failure ? (
          <FormAlert className="w-full">{failure.message}</FormAlert>
        ) : null}
      </form>
    </details>
  );
}
