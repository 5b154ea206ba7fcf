"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect } from "react";
import { useTRPC } from "@/components/trpc/client";

/** How often the header asks for the unread count (only while the tab is visible). */
const POLL_MS = 15_000;

/**
 * The header's bell: a link to the notifications with the unread count, rendered on the server
 * with the count of the moment and kept current by asking every 15 s. A page that changes the
 * count (an opened notification, "Mark all read") renders the layout again with the new count.
 */
export function NotificationBell({ initialUnread }: { initialUnread: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const unread = useQuery({
    ...trpc.alerts.unread.queryOptions(),
    initialData: { unread: initialUnread },
    staleTime: POLL_MS - 1_000,
    refetchInterval: POLL_MS,
  });
  // A new server render (after an action) brings a newer count than the one held here.
  useEffect(() => {
    queryClient.setQueryData(trpc.alerts.unread.queryKey(), { unread: initialUnread });
  }, [initialUnread, queryClient, trpc]);
  const count = unread.data.unread;
  const badge = count > 99 ? "99+" : String(count);
  return (
    <>
      <Link
        href="/notifications"
        aria-label={`Notifications, ${count} unread`}
        data-testid="notification-bell"
        data-unread={count}
        className="relative inline-flex h-8 w-8 items-center justify-center rounded-lg text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
      >
        <svg aria-hidden="true" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {count > 0 ? (
          <span
            aria-hidden="true"
            className="absolute -right-1 -top-1 min-w-[1.125rem] rounded-full bg-red-700 px-1 text-center text-[0.6875rem] font-bold leading-[1.125rem] text-white"
          >
            {badge}
          </span>
        ) : null}
      </Link>
      {/* Read out when the count changes by itself, not when the page loads. */}
      <span aria-live="polite" className="sr-only">
        {count > 0 ? `${count} unread notification${count > 1 ? "s" : ""}` : ""}
      </span>
    </>
  );
}

/** Asks for the unread count at once (on a page that just changed it: an opened notification). */
export function RefreshUnread() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  useEffect(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.alerts.unread.queryKey() });
  }, [queryClient, trpc]);
  return null;
}
