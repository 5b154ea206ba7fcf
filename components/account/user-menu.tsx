import Link from "next/link";
import { Suspense } from "react";
import { signOutAction } from "@/server/auth/actions";
import { currentViewer } from "@/server/auth/viewer";
import { SessionRenewal } from "./session-renewal";
import { SignInLink } from "./sign-in-link";

/**
 * The header's corner: "Sign in", or the signed-in user's menu (their account, sign out). A
 * disclosure element and a form: it works without JavaScript.
 */
export async function UserMenu() {
  const viewer = await currentViewer();
  if (!viewer) {
    return (
      <Suspense fallback={null}>
        <SignInLink />
      </Suspense>
    );
  }
  const label = viewer.name || viewer.email || "Account";
  return (
    <details className="group relative">
      <SessionRenewal />
      <summary
        aria-label={`Account menu for ${label}`}
        className="flex cursor-pointer list-none items-center gap-2 rounded-lg border border-slate-300 px-1.5 py-1 font-medium sm:px-3 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
      >
        <span aria-hidden="true" className="flex h-6 w-6 items-center justify-center rounded-full bg-brand-600 text-xs font-bold uppercase text-white">
          {label.slice(0, 1)}
        </span>
        <span className="hidden max-w-40 truncate sm:inline">{label}</span>
      </summary>
      <div className="absolute right-0 z-20 mt-2 w-64 rounded-lg border border-slate-200 bg-white p-2 shadow-lg dark:border-slate-700 dark:bg-slate-900">
        <p className="truncate px-2 py-1 text-xs text-slate-600 dark:text-slate-400">
          Signed in as {viewer.email}
          {viewer.role === "admin" ? " (admin)" : ""}
        </p>
        <Link href="/account" className="block rounded px-2 py-1.5 hover:bg-slate-100 dark:hover:bg-slate-800">
          Account
        </Link>
        {viewer.role === "admin" ? (
          <Link href="/admin" className="block rounded px-2 py-1.5 hover:bg-slate-100 dark:hover:bg-slate-800">
            Admin
          </Link>
        ) : null}
        <form action={signOutAction}>
          <button type="submit" className="block w-full rounded px-2 py-1.5 text-left hover:bg-slate-100 dark:hover:bg-slate-800">
            Sign out
          </button>
        </form>
      </div>
    </details>
  );
}
