import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { formatCount, formatMs } from "@/components/admin/format";
import { RunActions } from "@/components/admin/run-actions";
import { describeRunRoute, ProviderChips, RunBadges, runHref } from "@/components/admin/run-bits";
import { Badge, mutedClass, PageHeader, rowClass, sectionClass, TableFrame, tableClass, tdClass, theadRowClass, thClass } from "@/components/admin/ui";
import { CABIN_LABELS, formatDate, formatMoment } from "@/components/format";
import { runIdInput } from "@/server/core/admin-input";
import { getAppContext } from "@/server/context";
import { pageData } from "@/server/page-data";
import { runDetail } from "@/server/services/admin/ingestion";
import { requireAdmin } from "../../access";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props) {
  const { id } = await params;
  return { title: /^\d{1,18}$/.test(id) ? `Run #${id}` : "Run" };
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className={`text-xs font-medium ${mutedClass}`}>{label}</dt>
      <dd className="break-words">{children}</dd>
    </div>
  );
}

/** One ingestion run: its query, each provider's answer, what it wrote, every attempt of its job and the job's payload. */
export default async function RunPage({ params }: Props) {
  const { id: idText } = await params;
  await requireAdmin(`/admin/runs/${encodeURIComponent(idText)}`);
  const parsed = runIdInput.safeParse({ id: idText });
  if (!parsed.success) notFound();
  const ctx = await getAppContext();
  const read = await pageData(() => runDetail(ctx, parsed.data.id));
  if (!read.ok) notFound();
  const detail = read.data;
  const { run } = detail;
  return (
    <div className="space-y-6">
      <PageHeader
        title={`Run #${run.id}`}
        actions={
          <Link href="/admin/runs" className="text-sm underline">
            All runs
          </Link>
        }
      >
        <p className="flex flex-wrap items-center gap-2">
          <span>{describeRunRoute(run.route)}</span>
          <RunBadges run={run} statusTestId="run-status" />
        </p>
        {run.demo ? <p className={`mt-1 ${mutedClass}`}>A demo run, from the demo history: no job ran it. Retrying it runs a real job for its query.</p> : null}
      </PageHeader>

      <RunActions initial={detail} />

      <section aria-labelledby="query-title" className={sectionClass}>
        <h2 id="query-title" className="text-lg font-semibold">
          Query and outcome
        </h2>
        <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:grid-cols-3 lg:grid-cols-4">
          <Fact label="Route">
            {run.route.origin} → {run.route.destination}
          </Fact>
          <Fact label="Departure">{formatDate(run.route.departureDate, { weekday: "short", day: "numeric", month: "short", year: "numeric" })}</Fact>
          <Fact label="Return">{run.route.returnDate ? formatDate(run.route.returnDate, { weekday: "short", day: "numeric", month: "short", year: "numeric" }) : "one way"}</Fact>
          <Fact label="Cabin">{CABIN_LABELS[run.route.cabin] ?? run.route.cabin}</Fact>
          <Fact label="Query id">{run.queryId}</Fact>
          <Fact label="Status">
            <RunBadges run={run} />
          </Fact>
          <Fact label="Attempt">
            {run.attempt} of {detail.attempts.length}
          </Fact>
          <Fact label="Job">
            <code className="text-xs break-all">{run.jobId}</code>
          </Fact>
          <Fact label="Due at">{run.dueAt ? formatMoment(run.dueAt) : "–"}</Fact>
          <Fact label="Started">{formatMoment(run.startedAt)}</Fact>
          <Fact label="Finished">{run.finishedAt ? formatMoment(run.finishedAt) : "not yet"}</Fact>
          <Fact label="Took">{formatMs(run.durationMs)}</Fact>
          <Fact label="Lag (start after due)">{formatMs(run.lagMs)}</Fact>
          <Fact label="Offers">{formatCount(run.offers)}</Fact>
          <Fact label="Snapshots written">{formatCount(run.snapshotsWritten)}</Fact>
        </dl>
        {run.error ? (
          <p className="mt-3 rounded-lg bg-red-50 px-3 py-2 text-sm break-words text-red-900 dark:bg-red-950 dark:text-red-100">
            <strong>Error:</strong> {run.error}
          </p>
        ) : null}
      </section>

      <section aria-labelledby="providers-title" className={sectionClass}>
        <h2 id="providers-title" className="text-lg font-semibold">
          Providers
        </h2>
        {run.providers.length === 0 ? (
          <p className={`mt-2 text-sm ${mutedClass}`}>No provider was asked (the run failed before, or every provider was paused).</p>
        ) : (
          <TableFrame label="Providers of this run">
            <table className={`${tableClass} mt-2`}>
              <caption className="sr-only">Each provider&apos;s answer to this run</caption>
              <thead>
                <tr className={theadRowClass}>
                  <th scope="col" className={thClass}>Provider</th>
                  <th scope="col" className={thClass}>Status</th>
                  <th scope="col" className={`${thClass} text-right`}>Latency</th>
                  <th scope="col" className={`${thClass} text-right`}>Offers</th>
                  <th scope="col" className={thClass}>Error</th>
                </tr>
              </thead>
              <tbody>
                {run.providers.map((p) => (
                  <tr key={p.provider} className={rowClass} data-testid="run-provider">
                    <th scope="row" className={`${tdClass} font-medium`}>{p.provider}</th>
                    <td className={tdClass}>
                      <Badge tone={p.status === "ok" ? "good" : p.status === "error" ? "bad" : "warn"}>{p.status.replace("_", " ")}</Badge>
                    </td>
                    <td className={`${tdClass} text-right tabular-nums`}>{formatMs(p.latencyMs)}</td>
                    <td className={`${tdClass} text-right tabular-nums`}>{formatCount(p.offers)}</td>
                    <td className={`${tdClass} max-w-md whitespace-normal break-words`}>{p.error ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableFrame>
        )}
      </section>

      <section aria-labelledby="attempts-title" className={sectionClass}>
        <h2 id="attempts-title" className="text-lg font-semibold">
          Attempts of this job
        </h2>
        <TableFrame label="Attempts of this job">
          <table className={`${tableClass} mt-2`}>
            <caption className="sr-only">Every attempt of job {run.jobId}, oldest first</caption>
            <thead>
              <tr className={theadRowClass}>
                <th scope="col" className={thClass}>Attempt</th>
                <th scope="col" className={thClass}>Run</th>
                <th scope="col" className={thClass}>Started</th>
                <th scope="col" className={thClass}>Status</th>
                <th scope="col" className={`${thClass} text-right`}>Took</th>
                <th scope="col" className={thClass}>Providers</th>
                <th scope="col" className={thClass}>Error</th>
              </tr>
            </thead>
            <tbody>
              {detail.attempts.map((a) => (
                <tr key={a.id} className={`${rowClass} ${a.id === run.id ? "bg-slate-50 dark:bg-slate-900" : ""}`} data-testid="run-attempt" aria-current={a.id === run.id ? "true" : undefined}>
                  <td className={`${tdClass} tabular-nums`}>{a.attempt}</td>
                  <td className={tdClass}>
                    {a.id === run.id ? (
                      <span>#{a.id} (this run)</span>
                    ) : (
                      <Link href={runHref(a.id)} className="underline">
                        #{a.id}
                      </Link>
                    )}
                  </td>
                  <td className={`${tdClass} whitespace-nowrap`}>{formatMoment(a.startedAt)}</td>
                  <td className={tdClass}>
                    <RunBadges run={{ ...a, demo: false }} />
                  </td>
                  <td className={`${tdClass} text-right tabular-nums`}>{formatMs(a.durationMs)}</td>
                  <td className={tdClass}>
                    <ProviderChips providers={a.providers} />
                  </td>
                  <td className={`${tdClass} max-w-md whitespace-normal break-words`}>{a.error ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      </section>

      <section aria-labelledby="payload-title" className={sectionClass}>
        <h2 id="payload-title" className="text-lg font-semibold">
          Job payload
        </h2>
        <p className={`mt-1 text-sm ${mutedClass}`}>
          {detail.payloadFromQueue ? "As the job queue holds it." : "As the run recorded it (the queue drops finished jobs after a week, and demo runs had no job)."}
        </p>
        <pre
          tabIndex={0}
          aria-label="Job payload as JSON"
          className="mt-2 overflow-x-auto rounded-lg bg-slate-100 p-3 text-xs text-slate-900 dark:bg-slate-900 dark:text-slate-100"
          data-testid="job-payload"
        >
          {JSON.stringify(detail.payload, null, 2)}
        </pre>
      </section>
    </div>
  );
}
