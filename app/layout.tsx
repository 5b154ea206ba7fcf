import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import Link from "next/link";
import type { ReactNode } from "react";
import { UserMenu } from "@/components/account/user-menu";
import { NotificationBell } from "@/components/alerts/bell";
import { TRPCReactProvider } from "@/components/trpc/client";
import { currentViewer } from "@/server/auth/viewer";
import { getAppContext } from "@/server/context";
import { log } from "@/server/log";
import { unreadNotifications } from "@/server/services/alerts/alerts";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Flight Tracker", template: "%s · Flight Tracker" },
  description:
    "Search flights across several providers, see how prices move over time, and get told when a route gets cheaper. Self-hostable.",
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#0b1120" },
  ],
};

/** The bell with the unread count, for a signed-in user; nothing for anyone else. */
async function HeaderBell() {
  const viewer = await currentViewer();
  if (!viewer) return null;
  let unread = 0;
  try {
    unread = await unreadNotifications(await getAppContext(), viewer.id);
  } catch (error) {
    // The header must not take the page down with it: the bell asks again by itself.
    log.warn("the unread count could not be read for the header", { err: error });
  }
  return <NotificationBell initialUnread={unread} />;
}

/** The console's link, for admins only (on a phone it is in the user menu). */
async function HeaderAdminLink() {
  const viewer = await currentViewer();
  if (viewer?.role !== "admin") return null;
  return (
    <Link href="/admin" className="hidden text-slate-600 hover:underline sm:inline dark:text-slate-300">
      Admin
    </Link>
  );
}

/**
 * Every page renders per request: proxy.ts gives each one a fresh CSP nonce, which Next puts on
 * its scripts, and a page prerendered once would carry none.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body className="min-h-dvh bg-white text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-slate-900"
        >
          Skip to content
        </a>
        {/* Around the header too: its bell asks for the unread count by itself. */}
        <TRPCReactProvider>
          <header className="border-b border-slate-200 dark:border-slate-800">
            <nav aria-label="Main" className="mx-auto flex max-w-5xl items-center justify-between px-4 py-3">
              <Link href="/" className="flex items-center gap-2 text-lg font-semibold tracking-tight">
                {/* eslint-disable-next-line @next/next/no-img-element -- a 24 px static SVG needs no optimisation */}
                <img src="/icon.svg" alt="" width={24} height={24} />
                Flight Tracker
              </Link>
              <div className="flex items-center gap-3 text-sm sm:gap-4">
                <Link href="/tracked" className="text-slate-600 hover:underline dark:text-slate-300">
                  Tracked
                </Link>
                <Link href="/docs/api" className="text-slate-600 hover:underline dark:text-slate-300">
                  API
                </Link>
                {/* A JSON endpoint, not a page: the lint rule mistakes it for one since app/api/[...path] exists. */}
                {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
                <a href="/api/health" className="text-slate-600 hover:underline dark:text-slate-300">
                  Status
                </a>
                <HeaderAdminLink />
                <HeaderBell />
                <UserMenu />
              </div>
            </nav>
          </header>
          <main id="main">{children}</main>
        </TRPCReactProvider>
      </body>
    </html>
  );
}
