/**
 * What went wrong, in words, for each error Auth.js sends to the sign-in and error pages
 * (`?error=`). Unknown codes get the general message: the code is not shown as if it meant
 * something to a traveller.
 */
const MESSAGES: Record<string, string> = {
  Verification: "This sign-in link has expired or has been used already. Links work once, for 15 minutes: ask for a new one.",
  AccessDenied: "This account cannot sign in. If you think that is a mistake, ask the administrator of this site.",
  Configuration: "Sign-in is not set up correctly on this server. The administrator can find the reason in the server log.",
  EmailSignin: "The sign-in email could not be sent. Try again in a minute; if it keeps failing, tell the administrator.",
  OAuthAccountNotLinked: "This email address already signs in another way. Sign in the way you did before; you can then link other methods.",
  OAuthSignin: "The sign-in provider could not be reached. Try again, or sign in another way.",
  OAuthCallbackError: "The sign-in provider did not complete the sign-in. Try again, or sign in another way.",
  OAuthCallback: "The sign-in provider did not complete the sign-in. Try again, or sign in another way.",
  RateLimited: "Too many sign-in links were asked for. Wait a few minutes, then try again.",
};

export function signInErrorMessage(code: string | undefined): string | null {
  if (!code) return null;
  return MESSAGES[code] ?? "Signing in did not work. Try again, or sign in another way.";
}
