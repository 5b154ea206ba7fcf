"use client";

import type { Route } from "next";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { signInHref } from "@/server/core/links";

/** "Sign in", coming back to the page it was clicked on (read here: the layout does not re-render as pages change). */
export function SignInLink() {
  const pathname = usePathname();
  const query = useSearchParams().toString();
  const here = pathname.startsWith("/sign-in") ? undefined : `${pathname}${query ? `?${query}` : ""}`;
  return (
    <Link href={signInHref(here) as Route} className="rounded-lg border border-slate-300 px-3 py-1 font-medium hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800">
      Sign in
    </Link>
  );
}
