import type { Route } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { RefreshUnread } from "@/components/alerts/bell";
import { Deliveries, notificationDates, PriceChange, Reasons } from "@/components/alerts/notification-summary";
import { CABIN_LABELS, formatMoment } from "@/components/format";
import { findTrackedRoute } from "@/db/queries/tracking";
import { alertSearchHref } from "@/server/alerts/message";
import { requireViewer } from "@/server/auth/viewer";
import { routeHref } from "@/server/core/links";
import { getAppContext } from "@/server/context";
import { pageData } from "@/server/page-data";
import { getNotification } from "@/server/services/alerts/alerts";

export const metadata = { title: "Notification" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

const linkClass = "rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50 dark:border-slate-600 dark:hover:bg-slate-800";

/** One notification, opened: it is marked read, with links to the flights and the route's history. */
export default async function NotificationPage({ params }: Props) {
  const { id } = await params;
  const viewer = await requireViewer(`/notifications/${encodeURIComponent(id)}`);
  if (!z.uuid().safeParse(id).success) notFound();
  const ctx = await getAppContext();
  const read = await pageData(() => getNotification(ctx, viewer.id, id, { markRead: true }));
  if (!read.ok) notFound();
  const n = read.data;
  const route = await findTrackedRoute(ctx.db, viewer.id, n.trackedRouteId);
  const dates = notificationDates(n);
  return (
    <div className="mx-auto max-w-3xl px-4 py-8">
      <RefreshUnread />
      <p className="text-sm">
        <Link href="/notifications" className="underline">
          ← All notifications
        </Link>
      </p>
      <article className="mt-3 rounded-xl border border-slate-200 p-5 dark:border-slate-800" aria-labelledby="notification-title">
        <h1 id="notification-title" className="text-2xl font-bold">
          {n.route.originCode} → {n.route.destinationCode}
        </h1>
        <p className="text-sm text-slate-700 dark:text-slate-300">
          {[dates, route ? CABIN_LABELS[route.cabin] : null].filter(Boolean).join(" · ")}
        </p>
        <div className="mt-3">
          <PriceChange n={n} />
          <Reasons n={n} />
        </div>
        <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
          Seen at a check on <time dateTime={n.observedAt}>{formatMoment(n.observedAt)}</time>
          {n.price.simulated ? " · from the built-in simulated market, not a real fare: it cannot be booked" : ""}
        </p>
        <h2 className="mt-4 text-sm font-semibold">Where it was sent</h2>
        <div className="mt-1">
          <Deliveries n={n} />
        </div>
        {route ? (
          <div className="mt-5 flex flex-wrap gap-2">
            {/* Plain links: a prefetch of /search would go without its query's checks (the proxy's 400). */}
            <a href={alertSearchHref(route, n)} className={`${linkClass} border-brand-600 bg-brand-600 text-white hover:bg-brand-700 dark:border-brand-600 dark:hover:bg-brand-700`}>
              See the flights
            </a>
            <Link href={routeHref({ origin: route.origin, destination: route.destination }, { date: n.departureDate ?? undefined, cabin: route.cabin }) as Route} className={linkClass}>
              Price history of this route
            </Link>
            <Link href="/tracked" className={linkClass}>
              Your tracked routes
            </Link>
          </div>
        ) : null}
      </article>
    </div>
  );
}
