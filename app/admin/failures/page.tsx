import type { Route } from "next";
import Link from "next/link";
import { MiniBars } from "@/components/admin/charts";
import { DeadActions } from "@/components/admin/dead-actions";
import { FAILURE_KIND_WORDS, formatCount, formatHour, formatShortMoment } from "@/components/admin/format";
import { ProviderChips, RunLink, RunRouteCell } from "@/components/admin/run-bits";
import { Badge, EmptyState, mutedClass, PageHeader, rowClass, sectionClass, TableFrame, tableClass, tdClass, theadRowClass, thClass } from "@/components/admin/ui";
import { formatMoment } from "@/components/format";
import type { FailureGroup } from "@/db/queries/admin";
import { getAppContext } from "@/server/context";
import { failures } from "@/server/services/admin/ingestion";
import { hereWith, requireAdmin } from "../access";

export const metadata = { title: "Failures" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The newest dead runs the service gives (a run failing on two providers counts in two groups, so the groups' sum is no total). */
const DEAD_SHOWN = 100;

const WINDOWS = [
  [6, "6 h"],
  [24, "24 h"],
  [72, "3 days"],
  [168, "7 days"],
] as const;

function providerWords(group: Pick<FailureGroup, "provider" | "kind">): string {
  return group.kind === "write" ? "(writing prices)" : group.provider;
}

/** Failed runs grouped by provider and error kind, with counts per hour, and the dead-lettered runs waiting for an admin. */
export default async function FailuresPage({ searchParams }: Props) {
  const params = await searchParams;
  await requireAdmin(hereWith("/admin/failures", params));
  const asked = Number(params.hours);
  const hours = WINDOWS.find(([h]) => h === asked)?.[0] ?? 24;
  const view = await failures(await getAppContext(), { hours });
  const windowWords = WINDOWS.find(([h]) => h === hours)![1];
  return (
    <div className="space-y-6">
      <PageHeader title="Failures">
        <p>
          Failed runs by provider and kind of failure, and the jobs whose every attempt failed (dead-lettered), which wait here until retried or discarded.
          Runs marked <strong>demo</strong> come from the demo history.
        </p>
      </PageHeader>

      <section aria-labelledby="groups-title" className={sectionClass}>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="groups-title" className="text-lg font-semibold">
            Failures in the last {windowWords}
          </h2>
          <nav aria-label="Window" className="flex gap-1 rounded-lg bg-slate-100 p-1 text-sm dark:bg-slate-800">
            {WINDOWS.map(([h, words]) => (
              <Link
                key={h}
                href={(h === 24 ? "/admin/failures" : `/admin/failures?hours=${h}`) as Route}
                aria-current={h === hours ? "page" : undefined}
                className={`rounded-md px-2.5 py-1 font-medium ${h === hours ? "bg-white shadow-sm dark:bg-slate-950" : "text-slate-700 dark:text-slate-300"}`}
              >
                {words}
              </Link>
            ))}
          </nav>
        </div>
        {view.groups.length === 0 ? (
          <div className="mt-3">
            <EmptyState title="No failures.">
              <p>No run failed in the last {windowWords}, and no dead-lettered job is waiting.</p>
            </EmptyState>
          </div>
        ) : (
          <div className="mt-3">
            <TableFrame label="Failure groups">
              <table className={tableClass}>
                <caption className="sr-only">Failed runs by provider and kind, over the last {windowWords}</caption>
                <thead>
                  <tr className={theadRowClass}>
                    <th scope="col" className={thClass}>Provider</th>
                    <th scope="col" className={thClass}>Kind</th>
                    <th scope="col" className={`${thClass} text-right`}>Failed runs</th>
                    <th scope="col" className={thClass}>Per hour</th>
                    <th scope="col" className={`${thClass} text-right`}>Dead-lettered</th>
                    <th scope="col" className={thClass}>Last failure</th>
                    <th scope="col" className={thClass}>
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {view.groups.map((g) => {
                    const name = `${providerWords(g)} ${FAILURE_KIND_WORDS[g.kind] ?? g.kind}`;
                    const peak = Math.max(0, ...g.perHour);
                    const peakAt = view.hourStarts[g.perHour.indexOf(peak)];
                    return (
                      <tr key={`${g.provider}-${g.kind}`} className={rowClass} data-testid="failure-group">
                        <th scope="row" className={`${tdClass} font-medium`}>{providerWords(g)}</th>
                        <td className={tdClass}>{FAILURE_KIND_WORDS[g.kind] ?? g.kind}</td>
                        <td className={`${tdClass} text-right tabular-nums`}>{formatCount(g.runs)}</td>
                        <td className={tdClass}>
                          <MiniBars
                            values={g.perHour}
                            label={g.runs === 0 ? `No failed run in the last ${windowWords}` : `${g.runs} failed runs over the last ${windowWords}; at most ${peak} in an hour (from ${peakAt ? formatHour(peakAt) : ""} UTC)`}
                          />
                        </td>
                        <td className={`${tdClass} text-right tabular-nums`}>{formatCount(g.dead)}</td>
                        <td className={`${tdClass} max-w-xs whitespace-normal`}>
                          {g.lastAt ? <span className="block whitespace-nowrap">{formatMoment(g.lastAt)}</span> : null}
                          {g.lastError ? <span className={`block text-xs break-words ${mutedClass}`}>{g.lastError}</span> : null}
                        </td>
                        <td className={tdClass}>
                          {g.dead > 0 ? <DeadActions selection={{ group: { provider: g.provider, kind: g.kind } }} count={g.dead} what={`dead-lettered runs of ${name}`} /> : null}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableFrame>
          </div>
        )}
      </section>

      <section aria-labelledby="dead-title" className={sectionClass}>
        <h2 id="dead-title" className="text-lg font-semibold">
          Dead-lettered runs{view.dead.length ? ` (${formatCount(view.dead.length)}${view.dead.length >= DEAD_SHOWN ? "+" : ""})` : ""}
        </h2>
        <p className={`mt-1 text-sm ${mutedClass}`}>The last attempt of each job that failed every one, newest first. Retry runs its query again as a new job.</p>
        {view.dead.length === 0 ? (
          <div className="mt-3">
            <EmptyState title="Nothing is dead-lettered.">
              <p>
                A job lands here when every attempt failed (after the queue&apos;s retries). The{" "}
                <Link href="/admin/runs?state=failed" className="underline">
                  failed runs
                </Link>{" "}
                show attempts that failed and were retried.
              </p>
            </EmptyState>
          </div>
        ) : (
          <div className="mt-3">
            <TableFrame label="Dead-lettered runs">
              <table className="w-full min-w-[56rem] text-left text-sm">
                <caption className="sr-only">Dead-lettered runs (every one failed, waiting for an admin), newest first</caption>
                <thead>
                  <tr className={theadRowClass}>
                    <th scope="col" className={thClass}>Run</th>
                    <th scope="col" className={thClass}>Started (UTC)</th>
                    <th scope="col" className={thClass}>Query</th>
                    <th scope="col" className={thClass}>Providers</th>
                    <th scope="col" className={thClass}>Error</th>
                    <th scope="col" className={thClass}>
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {view.dead.map((run) => (
                    <tr key={run.id} className={rowClass} data-testid="dead-run" data-run-id={run.id}>
                      <td className={tdClass}>
                        <span className="flex flex-wrap items-center gap-1">
                          <RunLink id={run.id} />
                          {run.demo ? (
                            <Badge tone="demo" testId="demo-badge">
                              demo
                            </Badge>
                          ) : null}
                        </span>
                      </td>
                      <td className={`${tdClass} whitespace-nowrap`}>{formatShortMoment(run.startedAt)}</td>
                      <td className={tdClass}>
                        <RunRouteCell route={run.route} />
                      </td>
                      <td className={`${tdClass} min-w-56`}>
                        <ProviderChips providers={run.providers} />
                      </td>
                      <td className={`${tdClass} max-w-xs whitespace-normal break-words`}>{run.error ?? ""}</td>
                      <td className={tdClass}>
                        <DeadActions selection={{ runIds: [run.id] }} count={1} what={`run ${run.id}`} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableFrame>
          </div>
        )}
      </section>
    </div>
  );
}
