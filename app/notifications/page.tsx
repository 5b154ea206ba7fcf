import Link from "next/link";
import { z } from "zod";
import { Deliveries, notificationDates, PriceChange, Reasons } from "@/components/alerts/notification-summary";
import { formatMoment } from "@/components/format";
import { markAllReadAction } from "@/app/alerts/actions";
import { requireViewer } from "@/server/auth/viewer";
import { getAppContext } from "@/server/context";
import { pageData } from "@/server/page-data";
import { notificationsPage } from "@/server/services/alerts/alerts";

export const metadata = { title: "Notifications" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const PAGE_SIZE = 20;

const buttonClass = "rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50 dark:border-slate-600 dark:hover:bg-slate-800";

/** The signed-in user's price alerts, newest first, a page at a time; anonymous visitors go to sign in. */
export default async function NotificationsPage({ searchParams }: Props) {
  const viewer = await requireViewer("/notifications");
  const params = await searchParams;
  const cursor = z.uuid().safeParse(params.cursor);
  const ctx = await getAppContext();
  const read = await pageData(() => notificationsPage(ctx, viewer.id, { limit: PAGE_SIZE, ...(cursor.success ? { cursor: cursor.data } : {}) }));
  const older = cursor.success;
  return (
    <div className="mx-auto max-w-3xl px-4 py-8">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">Notifications</h1>
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300" aria-live="polite" data-testid="unread-count">
            {read.ok ? (read.data.unread === 0 ? "Nothing unread." : `${read.data.unread} unread.`) : null}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {read.ok && read.data.unread > 0 ? (
            <form action={markAllReadAction}>
              <button type="submit" className={buttonClass}>
                Mark all read
              </button>
            </form>
          ) : null}
          <Link href="/alerts" className={buttonClass}>
            Alert settings
          </Link>
        </div>
      </div>

      {!read.ok ? (
        <p role="alert" className="mt-6 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          This page of notifications no longer exists.{" "}
          <Link href="/notifications" className="underline">
            See the newest
          </Link>
          .
        </p>
      ) : read.data.items.length === 0 ? (
        <div className="mt-6 rounded-xl border border-slate-200 p-6 text-center dark:border-slate-800">
          <p className="font-semibold">{older ? "No older notifications." : "No notifications yet."}</p>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            When a price you{" "}
            <Link href="/tracked" className="underline">
              track
            </Link>{" "}
            meets one of its alert rules, you are told here, and on the channels you chose in{" "}
            <Link href="/alerts" className="underline">
              alert settings
            </Link>
            .
          </p>
        </div>
      ) : (
        <ol className="mt-6 space-y-3" aria-label="Notifications">
          {read.data.items.map((n) => (
            <li key={n.id}>
              <article
                data-testid="notification"
                data-read={n.read}
                aria-labelledby={`n-${n.id}`}
                className={`rounded-xl border p-4 ${n.read ? "border-slate-200 dark:border-slate-800" : "border-brand-600 bg-brand-50/40 dark:border-brand-500 dark:bg-slate-900"}`}
              >
                <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
                  <h2 id={`n-${n.id}`} className="font-semibold">
                    {/* No prefetch: opening a notification marks it read. */}
                    <Link href={`/notifications/${n.id}`} prefetch={false} className="hover:underline">
                      {n.route.originCode} → {n.route.destinationCode}
                      {notificationDates(n) ? <span className="font-normal text-slate-700 dark:text-slate-300"> · {notificationDates(n)}</span> : null}
                    </Link>{" "}
                    {n.read ? null : <span className="ml-1 rounded bg-brand-600 px-1.5 py-0.5 align-middle text-xs font-semibold text-white">Unread</span>}
                  </h2>
                  <p className="text-xs text-slate-600 dark:text-slate-400">
                    <time dateTime={n.createdAt}>{formatMoment(n.createdAt)}</time>
                  </p>
                </div>
                <PriceChange n={n} />
                <Reasons n={n} />
                <div className="mt-2">
                  <Deliveries n={n} />
                </div>
              </article>
            </li>
          ))}
        </ol>
      )}

      {read.ok && (older || read.data.nextCursor) ? (
        <nav aria-label="Pages" className="mt-6 flex justify-between gap-3">
          {older ? (
            <Link href="/notifications" className={buttonClass}>
              ← Newest
            </Link>
          ) : (
            <span />
          )}
          {read.data.nextCursor ? (
            <Link href={`/notifications?cursor=${read.data.nextCursor}`} className={buttonClass}>
              Older →
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
