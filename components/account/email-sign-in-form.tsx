"use client";

import { useActionState } from "react";
import { FormAlert, inputClass } from "@/components/forms";
import { requestSignInLink, type SignInState } from "@/server/auth/actions";

/**
 * The email address to send a sign-in link to. A server action: it works without JavaScript;
 * with it, a wrong address is shown inline without leaving the page.
 */
export function EmailSignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(requestSignInLink, {});
  return (
    <form action={action} className="space-y-3" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <label htmlFor="sign-in-email" className="block text-sm font-medium">
        Email address
      </label>
      <input
        id="sign-in-email"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={state.email}
        aria-invalid={state.error ? true : undefined}
        aria-describedby={state.error ? "sign-in-email-error" : undefined}
        className={inputClass}
      />
      {state.error ? (
        <FormAlert id="sign-in-email-error">{state.error}</FormAlert>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-lg bg-brand-600 px-4 py-2 font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-70"
      >
        {pending ? "Sending…" : "Email me a sign-in link"}
      </button>
    </form>
  );
}
