import type { Route } from "next";
import Link from "next/link";
import { formatCount, formatMs, formatOverdue } from "@/components/admin/format";
import { RefreshNowButton } from "@/components/admin/row-actions";
import { EmptyState, labelClass, listHref, mutedClass, PageHeader, Pager, Problem, rowClass, smallButtonClass, Stat, TableFrame, tableClass, tdClass, theadRowClass, thClass } from "@/components/admin/ui";
import { CABIN_LABELS, formatDate, formatMoment } from "@/components/format";
import { getAppContext } from "@/server/context";
import { pageData } from "@/server/page-data";
import { freshness } from "@/server/services/admin/ingestion";
import { hereWith, requireAdmin } from "../access";

export const metadata = { title: "Freshness" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const PAGE_SIZE = 50;

function cadence(hours: number | null): string {
  if (hours === null) return "–";
  return hours < 1 ? `every ${Math.round(hours * 60)} min` : `every ${Number(hours.toFixed(2))} h`;
}

/** Every query an active tracked route needs: its cadence, last observation and due time, the most overdue first. */
export default async function FreshnessPage({ searchParams }: Props) {
  const params = await searchParams;
  await requireAdmin(hereWith("/admin/freshness", params));
  const overdueOnly = params.overdue === "1";
  const cursor = typeof params.cursor === "string" && params.cursor ? params.cursor : undefined;
  const ctx = await getAppContext();
  const read = await pageData(() => freshness(ctx, { overdueOnly, cursor, limit: PAGE_SIZE }));
  const now = ctx.clock().getTime();
  const filters = { overdue: overdueOnly ? "1" : undefined };
  return (
    <div className="space-y-5">
      <PageHeader title="Freshness">
        <p>
          Each query that an active tracked route needs, refreshed on its cadence (by days to departure). The most overdue come first; Refresh now queues it at
          once.
        </p>
      </PageHeader>

      {read.ok ? (
        <dl className="flex flex-wrap gap-8">
          <Stat label="Tracked queries" value={formatCount(read.data.tracked)} />
          <Stat label="Overdue now" value={<span className={read.data.overdue ? "text-red-700 dark:text-red-400" : ""}>{formatCount(read.data.overdue)}</span>} />
        </dl>
      ) : null}

      <form method="get" action="/admin/freshness" aria-label="Filter queries" className="flex flex-wrap items-center gap-3">
        <label className={`${labelClass} inline-flex items-center gap-2`}>
          <input type="checkbox" name="overdue" value="1" defaultChecked={overdueOnly} className="h-4 w-4" />
          Overdue only
        </label>
        <button type="submit" className={smallButtonClass}>
          Apply
        </button>
      </form>

      {!read.ok ? (
        <Problem>
          This page of queries no longer exists.{" "}
          <Link href={listHref("/admin/freshness", filters) as Route} className="underline">
            See the first page
          </Link>
          .
        </Problem>
      ) : read.data.items.length === 0 ? (
        <EmptyState title={cursor ? "No more queries." : overdueOnly ? "Nothing is overdue." : "No tracked query yet."}>
          {overdueOnly || cursor ? (
            <p>Every tracked query was refreshed on time.</p>
          ) : (
            <p>Queries appear here when someone tracks a route (Track prices on a search&apos;s results): each is then refreshed on a schedule.</p>
          )}
        </EmptyState>
      ) : (
        <>
          <TableFrame label="Tracked queries">
            <table className={tableClass}>
              <caption className="sr-only">Tracked queries, the most overdue first</caption>
              <thead>
                <tr className={theadRowClass}>
                  <th scope="col" className={thClass}>Route</th>
                  <th scope="col" className={thClass}>Dates</th>
                  <th scope="col" className={thClass}>Cabin</th>
                  <th scope="col" className={`${thClass} text-right`}>Travellers</th>
                  <th scope="col" className={`${thClass} text-right`}>Tracked by</th>
                  <th scope="col" className={thClass}>Cadence</th>
                  <th scope="col" className={thClass}>Last observed</th>
                  <th scope="col" className={thClass}>Next due</th>
                  <th scope="col" className={thClass}>Overdue by</th>
                  <th scope="col" className={thClass}>
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {read.data.items.map((q) => {
                  const route = `${q.origin} → ${q.destination}`;
                  const dates = q.returnDate ? `${formatDate(q.departureDate)} – ${formatDate(q.returnDate)}` : `${formatDate(q.departureDate)}, one way`;
                  return (
                    <tr key={q.queryId} className={rowClass} data-testid="fresh-query" data-overdue={q.overdueMs > 0}>
                      <th scope="row" className={`${tdClass} font-medium whitespace-nowrap`}>{route}</th>
                      <td className={`${tdClass} whitespace-nowrap`}>{dates}</td>
                      <td className={tdClass}>{CABIN_LABELS[q.cabin] ?? q.cabin}</td>
                      <td className={`${tdClass} text-right tabular-nums`}>{q.travellers}</td>
                      <td className={`${tdClass} text-right tabular-nums`}>
                        {q.routes} route{q.routes === 1 ? "" : "s"}
                      </td>
                      <td className={`${tdClass} whitespace-nowrap`}>{cadence(q.cadenceHours)}</td>
                      <td className={`${tdClass} whitespace-nowrap`}>
                        {q.lastObservedAt ? (
                          <>
                            {formatMoment(q.lastObservedAt)}
                            <span className={`block text-xs ${mutedClass}`}>{formatMs(now - Date.parse(q.lastObservedAt))} ago</span>
                          </>
                        ) : (
                          "never"
                        )}
                      </td>
                      <td className={`${tdClass} whitespace-nowrap`}>
                        {formatMoment(q.nextDueAt)}
                        {q.enqueuedAt && (!q.lastObservedAt || q.enqueuedAt > q.lastObservedAt) ? (
                          <span className={`block text-xs ${mutedClass}`}>queued {formatMoment(q.enqueuedAt)}</span>
                        ) : null}
                      </td>
                      <td className={`${tdClass} whitespace-nowrap ${q.overdueMs > 0 ? "font-semibold text-red-700 dark:text-red-400" : mutedClass}`}>{formatOverdue(q.overdueMs)}</td>
                      <td className={tdClass}>
                        <RefreshNowButton queryId={q.queryId} what={`${route}, ${dates}`} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableFrame>
          <Pager
            first={cursor ? listHref("/admin/freshness", filters) : null}
            next={read.data.nextCursor ? listHref("/admin/freshness", { ...filters, cursor: read.data.nextCursor }) : null}
            firstLabel="← Most overdue"
            nextLabel="Next →"
          />
        </>
      )}
    </div>
  );
}
