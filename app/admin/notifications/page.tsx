import { formatCount } from "@/components/admin/format";
import { RetryDeliveryButton } from "@/components/admin/row-actions";
import { Badge, EmptyState, mutedClass, PageHeader, rowClass, sectionClass, Stat, TableFrame, tableClass, tdClass, theadRowClass, thClass } from "@/components/admin/ui";
import { CHANNEL_KIND_WORDS } from "@/components/alerts/describe";
import { formatMoment } from "@/components/format";
import { getAppContext } from "@/server/context";
import { deliveriesOverview } from "@/server/services/admin/deliveries";
import { requireAdmin } from "../access";

export const metadata = { title: "Notifications" };
export const dynamic = "force-dynamic";

function kindWords(kind: string): string {
  return (CHANNEL_KIND_WORDS as Record<string, string>)[kind] ?? kind;
}

/** Alert deliveries of the last day per channel kind, the endpoints failing now, and the deliveries that gave up (with Retry). */
export default async function AdminNotificationsPage() {
  await requireAdmin("/admin/notifications");
  const view = await deliveriesOverview(await getAppContext());
  const totals = view.channels.reduce((sum, c) => ({ sent: sum.sent + c.sent, failed: sum.failed + c.failed }), { sent: 0, failed: 0 });
  return (
    <div className="space-y-6">
      <PageHeader title="Notifications">
        <p>How price alerts reached people in the last 24 hours: in the app, by email, to webhooks and to phones (ntfy).</p>
      </PageHeader>

      <section aria-labelledby="counts-title" className={sectionClass}>
        <h2 id="counts-title" className="text-lg font-semibold">
          Last 24 hours
        </h2>
        <dl className="mt-3 flex flex-wrap gap-8">
          <Stat label="In-app notifications" value={formatCount(view.inApp)} />
          <Stat label="Deliveries sent" value={formatCount(totals.sent)} />
          <Stat label="Deliveries failed" value={<span className={totals.failed ? "text-red-700 dark:text-red-400" : ""}>{formatCount(totals.failed)}</span>} />
        </dl>
        <div className="mt-4">
          <TableFrame label="Deliveries per channel kind">
            <table className={tableClass}>
              <caption className="sr-only">Deliveries of the last 24 hours per channel kind, by state</caption>
              <thead>
                <tr className={theadRowClass}>
                  <th scope="col" className={thClass}>Channel</th>
                  <th scope="col" className={`${thClass} text-right`}>Sent</th>
                  <th scope="col" className={`${thClass} text-right`}>Failed</th>
                  <th scope="col" className={`${thClass} text-right`}>Pending</th>
                  <th scope="col" className={`${thClass} text-right`}>Skipped</th>
                  <th scope="col" className={`${thClass} text-right`}>In a digest</th>
                </tr>
              </thead>
              <tbody className="tabular-nums">
                {view.channels.map((c) => (
                  <tr key={c.kind} className={rowClass} data-testid="delivery-counts">
                    <th scope="row" className={`${tdClass} font-normal`}>{kindWords(c.kind)}</th>
                    <td className={`${tdClass} text-right`}>{formatCount(c.sent)}</td>
                    <td className={`${tdClass} text-right ${c.failed ? "font-semibold text-red-700 dark:text-red-400" : ""}`}>{formatCount(c.failed)}</td>
                    <td className={`${tdClass} text-right`}>{formatCount(c.pending)}</td>
                    <td className={`${tdClass} text-right`}>{formatCount(c.skipped)}</td>
                    <td className={`${tdClass} text-right`}>{formatCount(c.digest)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableFrame>
        </div>
      </section>

      <section aria-labelledby="failing-title" className={sectionClass}>
        <h2 id="failing-title" className="text-lg font-semibold">
          Failing endpoints
        </h2>
        <p className={`mt-1 text-sm ${mutedClass}`}>Webhooks and phones whose last deliveries failed, or that were turned off for failing. Only the host is shown: a URL&apos;s path may hold its owner&apos;s token.</p>
        {view.failingEndpoints.length === 0 ? (
          <div className="mt-3">
            <EmptyState title="No endpoint is failing." />
          </div>
        ) : (
          <div className="mt-3">
            <TableFrame label="Failing endpoints">
              <table className={tableClass}>
                <caption className="sr-only">Failing webhook and ntfy endpoints, the latest failure first</caption>
                <thead>
                  <tr className={theadRowClass}>
                    <th scope="col" className={thClass}>Channel</th>
                    <th scope="col" className={thClass}>Host</th>
                    <th scope="col" className={thClass}>Owner</th>
                    <th scope="col" className={`${thClass} text-right`}>Failures in a row</th>
                    <th scope="col" className={thClass}>State</th>
                    <th scope="col" className={thClass}>Last failure</th>
                    <th scope="col" className={thClass}>Last success</th>
                  </tr>
                </thead>
                <tbody>
                  {view.failingEndpoints.map((c) => (
                    <tr key={c.id} className={rowClass} data-testid="failing-endpoint">
                      <th scope="row" className={`${tdClass} font-medium`}>
                        {c.name} <span className={`font-normal ${mutedClass}`}>· {kindWords(c.kind)}</span>
                      </th>
                      <td className={`${tdClass} font-mono text-xs`}>{c.host}</td>
                      <td className={tdClass}>{c.ownerEmail ?? "–"}</td>
                      <td className={`${tdClass} text-right tabular-nums`}>{c.consecutiveFailures}</td>
                      <td className={`${tdClass} max-w-xs whitespace-normal`}>
                        {c.enabled ? <Badge tone="warn">on</Badge> : <Badge tone="bad">turned off</Badge>}
                        {c.disabledReason ? <span className={`block text-xs ${mutedClass}`}>{c.disabledReason}</span> : null}
                      </td>
                      <td className={`${tdClass} whitespace-nowrap`}>{c.lastFailureAt ? formatMoment(c.lastFailureAt) : "–"}</td>
                      <td className={`${tdClass} whitespace-nowrap`}>{c.lastSuccessAt ? formatMoment(c.lastSuccessAt) : "never"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableFrame>
          </div>
        )}
      </section>

      <section aria-labelledby="failed-title" className={sectionClass}>
        <h2 id="failed-title" className="text-lg font-semibold">
          Failed deliveries
        </h2>
        <p className={`mt-1 text-sm ${mutedClass}`}>Deliveries that gave up after their retries, newest first. Retry tries once more; a channel its owner turned off is refused.</p>
        {view.failed.length === 0 ? (
          <div className="mt-3">
            <EmptyState title="No failed delivery." />
          </div>
        ) : (
          <div className="mt-3">
            <TableFrame label="Failed deliveries">
              <table className={tableClass}>
                <caption className="sr-only">Failed deliveries, newest first</caption>
                <thead>
                  <tr className={theadRowClass}>
                    <th scope="col" className={thClass}>Created</th>
                    <th scope="col" className={thClass}>Channel</th>
                    <th scope="col" className={thClass}>Owner</th>
                    <th scope="col" className={`${thClass} text-right`}>Attempts</th>
                    <th scope="col" className={thClass}>Last answer</th>
                    <th scope="col" className={thClass}>
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {view.failed.map((d) => (
                    <tr key={d.id} className={rowClass} data-testid="failed-delivery">
                      <td className={`${tdClass} whitespace-nowrap`}>{formatMoment(d.createdAt)}</td>
                      <td className={tdClass}>
                        {d.channelName} <span className={mutedClass}>· {kindWords(d.kind)}</span>
                        {d.channelEnabled ? null : (
                          <span className="ml-1">
                            <Badge tone="bad">turned off</Badge>
                          </span>
                        )}
                      </td>
                      <td className={tdClass}>{d.ownerEmail ?? "–"}</td>
                      <td className={`${tdClass} text-right tabular-nums`}>{d.attempts}</td>
                      <td className={`${tdClass} max-w-xs whitespace-normal break-words`}>
                        {d.lastStatusCode ? <span className="font-mono text-xs">HTTP {d.lastStatusCode} </span> : null}
                        {d.lastError ?? ""}
                      </td>
                      <td className={tdClass}>
                        <RetryDeliveryButton deliveryId={d.id} what={`the delivery to ${d.channelName}${d.ownerEmail ? ` of ${d.ownerEmail}` : ""}`} />
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
