"use server";

import { z } from "zod";
import { safeReturnPath } from "@/server/core/links";
import { getAppContext } from "@/server/context";
import { inActionScope } from "@/server/http/action-scope";
import { signInAllowed } from "@/server/ratelimit/sign-in";
import { signInIdentifier } from "./identifier";
import { signIn, signOut } from "./index";

/**
 * The sign-in page's and the header's server actions: asking for an email link, signing in
 * with GitHub or Google, signing out. Each runs in its request's scope (its address and user
 * agent go to the audit log and the new session). Next refuses a server action posted from
 * another site (its Origin must be this host), so these need no CSRF token of their own.
 */

export interface SignInState {
  /** What was typed, to show again. */
  email?: string;
  error?: string;
}

const EMAIL = z.email().max(254);

function rateLimitedMessage(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return `Too many sign-in links were asked for. Try again in ${minutes === 1 ? "a minute" : `${minutes} minutes`}.`;
}

/** Sends a sign-in link (Auth.js then shows the check-your-email page). */
export async function requestSignInLink(_previous: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "").trim();
  const identifier = EMAIL.safeParse(email).success ? signInIdentifier(email) : null;
  if (!identifier) return { email, error: "Enter an email address, such as you@example.com." };
  const redirectTo = safeReturnPath(String(form.get("callbackUrl") ?? ""));
  return inActionScope(async (address) => {
    // The same answer for every address, whether or not it has an account.
    const verdict = await signInAllowed(await getAppContext(), { email: identifier, address });
    if (!verdict.allowed) return { email, error: rateLimitedMessage(verdict.retryAfterSeconds ?? 60) };
    // Redirects (a thrown NEXT_REDIRECT) to the check-your-email page, or to the error page.
    await signIn("email", { email: identifier, redirectTo });
    return {};
  });
}

const OAUTH = z.enum(["github", "google"]);

/** Off to GitHub or Google (only those configured are offered; another is Auth.js's error page). */
export async function signInWithProvider(form: FormData): Promise<void> {
  const provider = OAUTH.safeParse(form.get("provider"));
  const redirectTo = safeReturnPath(String(form.get("callbackUrl") ?? ""));
  if (!provider.success) return;
  await inActionScope(() => signIn(provider.data, { redirectTo }));
}

/** Ends this session (audited) and goes home. */
export async function signOutAction(): Promise<void> {
  await inActionScope(() => signOut({ redirectTo: "/" }));
}
