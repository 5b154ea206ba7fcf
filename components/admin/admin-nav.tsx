"use client";

import type { Route } from "next";
import Link from "next/link";
import { usePathname } from "next/navigation";

const SECTIONS: { href: Route; label: string }[] = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/runs", label: "Runs" },
  { href: "/admin/failures", label: "Failures" },
  { href: "/admin/providers", label: "Providers" },
  { href: "/admin/freshness", label: "Freshness" },
  { href: "/admin/notifications", label: "Notifications" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/audit", label: "Audit log" },
];

/** The console's sections; the one shown is marked (aria-current: "page", or "true" on a run's detail under Runs). */
export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Admin" className="border-b border-slate-200 pb-2 dark:border-slate-800">
      <ul className="flex flex-wrap gap-1 text-sm">
        {SECTIONS.map(({ href, label }) => {
          const exact = pathname === href;
          const within = !exact && href !== "/admin" && pathname.startsWith(`${href}/`);
          return (
            <li key={href}>
              <Link
                href={href}
                aria-current={exact ? "page" : within ? "true" : undefined}
                className={`block rounded-md px-2.5 py-1.5 font-medium ${
                  exact || within
                    ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900"
                    : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
                }`}
              >
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
