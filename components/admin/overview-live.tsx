"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { RefreshFailed } from "./refresh-failed";
import { CABIN_LABELS, formatDate } from "@/components/format";
import { useTRPC } from "@/components/trpc/client";
import type { AdminOverview } from "@/server/services/admin/overview";
import { HourlyBars } from "./charts";
import { BREAKER_WORDS, formatClock, formatCount, formatMs, formatRate } from "./format";
import { SchedulerPauseForm } from "./scheduler-controls";
import { Badge, mutedClass, PageHeader, rowClass, sectionClass, Stat, TableFrame, tableClass, tdClass, theadRowClass, thClass } from "./ui";

/** How often the overview asks for fresh figures (only while the tab is visible). */
const POLL_MS = 5_000;

const RUN_ROWS = [
  ["started", "Started"],
  ["succeeded", "Succeeded"],
  ["failed", "Failed"],
  ["retried", "Retried (attempts after the first)"],
  ["deadLettered", "Dead-lettered"],
  ["running", "Running"],
] as const;

function Card({ title, id, children, action }: { title: string; id: string; children: ReactNode; action?: ReactNode }) {
  return (
    <section aria-labelledby={id} className={sectionClass}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={id} className="text-lg font-semibold">
          {title}
        </h2>
        {action}
      </div>
      <div className="mt-3">{children}</div>
    </section>
  );
}

/**
 * The overview, rendered on the server with the figures of the moment, then asking for them
 * again every 5 s while the tab is visible (admin.overview).
 */
export function OverviewLive({ initial }: { initial: AdminOverview }) {
  const trpc = useTRPC();
  const query = useQuery({ ...trpc.admin.overview.queryOptions(), initialData: initial, refetchInterval: POLL_MS, staleTime: POLL_MS - 1_000 });
  const data = query.data;
  const snapshots = data.snapshotsPerHour;
  const snapshotTotal = snapshots.reduce((sum, h) => sum + h.snapshots, 0);
  const busiest = snapshots.reduce((best, h) => (h.snapshots > (best?.snapshots ?? -1) ? h : best), snapshots[0]);
  const overdue = data.oldestOverdue;
  const sent = data.notifications.channels.reduce((sum, c) => sum + c.sent, 0);
  const failed = data.notifications.channels.reduce((sum, c) => sum + c.failed, 0);
  return (
    <div className="space-y-6">
      <PageHeader title="Overview">
        <p>
          Ingestion, providers and notifications at a glance.{" "}
          <span data-testid="overview-updated">Updated {formatClock(data.generatedAt)}</span>
          <span className={mutedClass}> · refreshes every 5 s while this tab is open</span>
        </p>
        {query.isRefetchError ? <RefreshFailed error={query.error} /> : null}
      </PageHeader>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Runs" id="runs-title" action={<Link href="/admin/runs" className="text-sm underline">All runs</Link>}>
          <TableFrame label="Runs by outcome">
            <table className={tableClass}>
              <caption className="sr-only">Ingestion runs started in the last hour and the last 24 hours, by outcome</caption>
              <thead>
                <tr className={theadRowClass}>
                  <th scope="col" className={thClass}>Runs</th>
                  <th scope="col" className={`${thClass} text-right`}>Last hour</th>
                  <th scope="col" className={`${thClass} text-right`}>Last 24 h</th>
                </tr>
              </thead>
              <tbody className="tabular-nums">
                {RUN_ROWS.map(([key, label]) => (
                  <tr key={key} className={rowClass} data-testid={`runs-${key}`}>
                    <th scope="row" className={`${tdClass} font-normal`}>
                      {key === "deadLettered" && data.runs.lastDay.deadLettered > 0 ? (
                        <Link href="/admin/failures" className="underline">
                          {label}
                        </Link>
                      ) : (
                        label
                      )}
                    </th>
                    <td className={`${tdClass} text-right`}>{formatCount(data.runs.lastHour[key])}</td>
                    <td className={`${tdClass} text-right`}>{formatCount(data.runs.lastDay[key])}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableFrame>
        </Card>

        <Card title="Queues" id="queues-title">
          {data.queues.length === 0 ? (
            <p className={`text-sm ${mutedClass}`}>No job queue yet: it is created when a worker first starts.</p>
          ) : (
            <TableFrame label="Queue depth">
              <table className={tableClass}>
                <caption className="sr-only">Jobs not yet done, per queue</caption>
                <thead>
                  <tr className={theadRowClass}>
                    <th scope="col" className={thClass}>Queue</th>
                    <th scope="col" className={`${thClass} text-right`}>Waiting</th>
                    <th scope="col" className={`${thClass} text-right`}>Retrying</th>
                    <th scope="col" className={`${thClass} text-right`}>Active</th>
                  </tr>
                </thead>
                <tbody className="tabular-nums">
                  {data.queues.map((q) => (
                    <tr key={q.name} className={rowClass}>
                      <th scope="row" className={`${tdClass} font-mono text-xs font-normal`}>{q.name}</th>
                      <td className={`${tdClass} text-right`}>{formatCount(q.waiting)}</td>
                      <td className={`${tdClass} text-right`}>{formatCount(q.retrying)}</td>
                      <td className={`${tdClass} text-right`}>{formatCount(q.active)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableFrame>
          )}
          <h3 className="mt-4 text-sm font-semibold">Scheduler lag (last hour)</h3>
          {data.schedulerLag ? (
            <dl className="mt-2 grid grid-cols-3 gap-3">
              <Stat label="Median" value={formatMs(data.schedulerLag.p50Ms)} />
              <Stat label="95th percentile" value={formatMs(data.schedulerLag.p95Ms)} />
              <Stat label="Longest" value={formatMs(data.schedulerLag.maxMs)} hint={`${formatCount(data.schedulerLag.runs)} scheduled runs`} />
            </dl>
          ) : (
            <p className={`mt-1 text-sm ${mutedClass}`}>No scheduled run started in the last hour.</p>
          )}
        </Card>
      </div>

      <Card title="Snapshots written per hour" id="snapshots-title">
        <HourlyBars
          bars={snapshots.map((h) => ({ hour: h.hour, value: h.snapshots }))}
          title="Price snapshots written per hour, last 24 hours"
          summary={
            snapshotTotal === 0
              ? "None were written in the last 24 hours."
              : `${formatCount(snapshotTotal)} in all; the most, ${formatCount(busiest?.snapshots ?? 0)}, in the hour from ${busiest ? formatClock(busiest.hour).slice(0, 5) : ""} UTC.`
          }
          valueLabel="Snapshots"
          testId="snapshots-chart"
        />
      </Card>

      <Card title="Providers" id="providers-title" action={<Link href="/admin/providers" className="text-sm underline">Provider health</Link>}>
        {data.providers.length === 0 ? (
          <p className={`text-sm ${mutedClass}`}>No provider is enabled.</p>
        ) : (
          <TableFrame label="Providers at a glance">
            <table className={tableClass}>
              <caption className="sr-only">Each provider&apos;s state and its calls in the last hour</caption>
              <thead>
                <tr className={theadRowClass}>
                  <th scope="col" className={thClass}>Provider</th>
                  <th scope="col" className={thClass}>State</th>
                  <th scope="col" className={thClass}>Circuit (this instance)</th>
                  <th scope="col" className={`${thClass} text-right`}>Calls (1 h)</th>
                  <th scope="col" className={`${thClass} text-right`}>Error rate (1 h)</th>
                  <th scope="col" className={`${thClass} text-right`}>p95 (1 h)</th>
                </tr>
              </thead>
              <tbody className="tabular-nums">
                {data.providers.map((p) => (
                  <tr key={p.id} className={rowClass} data-testid="overview-provider">
                    <th scope="row" className={`${tdClass} font-medium`}>{p.name}</th>
                    <td className={tdClass}>{p.paused ? <Badge tone="warn">paused</Badge> : <Badge tone="good">active</Badge>}</td>
                    <td className={tdClass}>
                      <Badge tone={p.breaker === "closed" ? "neutral" : "bad"}>{BREAKER_WORDS[p.breaker] ?? p.breaker}</Badge>
                    </td>
                    <td className={`${tdClass} text-right`}>{formatCount(p.hour.calls)}</td>
                    <td className={`${tdClass} text-right`}>{p.hour.calls ? formatRate(p.hour.errorRate) : "–"}</td>
                    <td className={`${tdClass} text-right`}>{formatMs(p.hour.p95Ms)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableFrame>
        )}
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Oldest overdue tracked query" id="overdue-title" action={<Link href="/admin/freshness?overdue=1" className="text-sm underline">Freshness</Link>}>
          {overdue ? (
            <div data-testid="oldest-overdue">
              <p className="font-semibold">
                {overdue.origin} → {overdue.destination}
                <span className="font-normal"> · {formatDate(overdue.departureDate)}{overdue.returnDate ? ` – ${formatDate(overdue.returnDate)}` : ", one way"} · {CABIN_LABELS[overdue.cabin]}</span>
              </p>
              <p className="text-sm">
                Overdue by <strong>{formatMs(overdue.overdueMs)}</strong>
                <span className={mutedClass}>
                  {" "}· last observed {overdue.lastObservedAt ? formatClock(overdue.lastObservedAt) : "never"}
                  {overdue.lastObservedAt ? ` on ${overdue.lastObservedAt.slice(0, 10)}` : ""} · tracked by {overdue.routes} route{overdue.routes === 1 ? "" : "s"}
                </span>
              </p>
            </div>
          ) : (
            <p className={`text-sm ${mutedClass}`}>Nothing is overdue: every tracked query was refreshed on time.</p>
          )}
        </Card>

        <Card title="Notifications (last 24 h)" id="notifications-title" action={<Link href="/admin/notifications" className="text-sm underline">Deliveries</Link>}>
          <dl className="grid grid-cols-3 gap-3">
            <Stat label="In the app" value={formatCount(data.notifications.inApp)} />
            <Stat label="Sent" value={formatCount(sent)} hint="email, webhooks, phones" />
            <Stat label="Failed" value={<span className={failed ? "text-red-700 dark:text-red-400" : ""}>{formatCount(failed)}</span>} />
          </dl>
        </Card>
      </div>

      <Card title="Maintenance" id="maintenance-title">
        <p className={`mb-3 text-sm ${mutedClass}`}>
          {data.maintenance
            ? "The scheduler is paused: no tracked route is refreshed on schedule, on any worker, until it is resumed."
            : "Pausing the scheduler stops scheduled refreshes on every worker (at their next tick); searches by people still run. Every admin page shows a banner while it is paused."}
        </p>
        <SchedulerPauseForm paused={data.maintenance !== null} />
      </Card>
    </div>
  );
}
