import type { Route } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { EmailSignInForm } from "@/components/account/email-sign-in-form";
import { signInErrorMessage } from "@/components/account/sign-in-messages";
import { deliveryFor } from "@/server/auth";
import { signInWithProvider } from "@/server/auth/actions";
import { signInMethods } from "@/server/auth/config";
import { currentViewer } from "@/server/auth/viewer";
import { safeReturnPath } from "@/server/core/links";
import { getAppContext } from "@/server/context";

export const metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

const PROVIDERS = [
  { id: "github", label: "Continue with GitHub" },
  { id: "google", label: "Continue with Google" },
] as const;

/**
 * Sign in by email link, GitHub or Google: only the methods this install has configured. With
 * no email server outside production the link goes to the development outbox, and the page says
 * so; with no method at all it says what to configure.
 */
export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackUrl = safeReturnPath(first(params.callbackUrl));
  if (await currentViewer()) redirect(callbackUrl as Route);
  const ctx = await getAppContext().catch(() => null);
  if (!ctx) {
    return (
      <div className="mx-auto max-w-md px-4 py-12">
        <h1 className="text-2xl font-bold">Sign in</h1>
        <p role="alert" className="mt-3 text-slate-700 dark:text-slate-300">
          Signing in is unavailable right now: the database cannot be reached. Searching still works; try again in a few minutes.
        </p>
      </div>
    );
  }
  const delivery = deliveryFor(ctx);
  const methods = signInMethods(ctx, delivery);
  const error = signInErrorMessage(first(params.error));
  const oauth = PROVIDERS.filter((provider) => methods[provider.id]);
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-bold">Sign in</h1>
      <p className="mt-2 text-slate-700 dark:text-slate-300">
        Sign in to track routes and be told when prices drop. Searching needs no account. New here? Signing in makes your account.
      </p>
      {error ? (
        <p role="alert" className="mt-6 rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
          {error}
        </p>
      ) : null}
      {methods.email ? (
        <section aria-label="Sign in by email" className="mt-6">
          <EmailSignInForm callbackUrl={callbackUrl} />
          {delivery === "outbox" ? (
            <p className="mt-3 rounded-lg bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
              This install has no email server (<code>EMAIL_SERVER</code>), so the link is not emailed: it appears on the{" "}
              <Link href="/dev/outbox" className="font-medium underline">
                development outbox
              </Link>{" "}
              and in the server log.
            </p>
          ) : null}
        </section>
      ) : null}
      {oauth.length > 0 ? (
        <section aria-label="Sign in with another account" className="mt-6 space-y-3">
          {methods.email ? <p className="text-center text-sm text-slate-500 dark:text-slate-400">or</p> : null}
          {oauth.map((provider) => (
            <form key={provider.id} action={signInWithProvider}>
              <input type="hidden" name="provider" value={provider.id} />
              <input type="hidden" name="callbackUrl" value={callbackUrl} />
              <button
                type="submit"
                className="w-full rounded-lg border border-slate-300 px-4 py-2 font-medium hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
              >
                {provider.label}
              </button>
            </form>
          ))}
        </section>
      ) : null}
      {!methods.email && oauth.length === 0 ? (
        <section aria-label="Sign-in is not configured" className="mt-6 rounded-lg border border-slate-300 p-4 dark:border-slate-700">
          <h2 className="font-semibold">No way to sign in is configured</h2>
          <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
            The administrator of this site can turn one on and restart the app: <code>EMAIL_SERVER</code> (an SMTP URL, such as{" "}
            <code>smtp://user:pass@mail.example.com:587</code>) with <code>EMAIL_FROM</code> for email links, or{" "}
            <code>AUTH_GITHUB_ID</code> and <code>AUTH_GITHUB_SECRET</code>, or <code>AUTH_GOOGLE_ID</code> and <code>AUTH_GOOGLE_SECRET</code>.
            Searching works without an account.
          </p>
        </section>
      ) : null}
    </div>
  );
}
