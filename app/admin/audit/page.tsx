import type { Route } from "next";
import Link from "next/link";
import { FilterForm, localInputValue, queryStrings, SelectFilter, TextFilter, utcInstant } from "@/components/admin/filter-form";
import { compactJson } from "@/components/admin/format";
import { EmptyState, listHref, mutedClass, PageHeader, Pager, Problem, rowClass, TableFrame, tableClass, tdClass, theadRowClass, thClass } from "@/components/admin/ui";
import { describeUserAgent, formatMoment } from "@/components/format";
import { AUDIT_ACTIONS } from "@/db/queries/audit";
import { auditInput } from "@/server/core/admin-input";
import { getAppContext } from "@/server/context";
import { pageData } from "@/server/page-data";
import { auditLog } from "@/server/services/admin/users";
import { hereWith, requireAdmin } from "../access";

export const metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const PAGE_SIZE = 50;
const FILTERS = ["action", "user", "from", "to"] as const;

/** "api_key_created" -> "API key created" */
function actionWords(action: string): string {
  const words = action.replace(/_/g, " ").replace(/^api /, "API ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The audit log: sign-ins, keys, role changes and every admin action, newest first, filtered by a GET form. */
export default async function AuditPage({ searchParams }: Props) {
  const params = await searchParams;
  await requireAdmin(hereWith("/admin/audit", params));
  const filters = queryStrings(params, FILTERS);
  const cursor = queryStrings(params, ["cursor"]).cursor;
  const ctx = await getAppContext();
  const read = await pageData(() =>
    auditLog(ctx, auditInput.parse({ ...filters, from: utcInstant(filters.from), to: utcInstant(filters.to), cursor, limit: PAGE_SIZE })),
  );
  const errors = read.ok ? null : read.errors;
  const filtered = Object.keys(filters).length > 0;
  return (
    <div className="space-y-5">
      <PageHeader title="Audit log">
        <p>What happened to accounts and what admins did, newest first. A user filter matches events they did or that were done to them.</p>
      </PageHeader>

      <FilterForm action="/admin/audit" label="Filter the audit log" clearHref={filtered ? "/admin/audit" : undefined}>
        <SelectFilter name="action" label="Action" value={filters.action} errors={errors} options={AUDIT_ACTIONS.map((a) => [a, actionWords(a)] as const)} />
        <TextFilter name="user" label="User's email" type="email" value={filters.user} errors={errors} maxLength={320} placeholder="someone@example.com" />
        <TextFilter name="from" label="From" hint="(UTC)" type="datetime-local" value={localInputValue(filters.from)} errors={errors} />
        <TextFilter name="to" label="Before" hint="(UTC)" type="datetime-local" value={localInputValue(filters.to)} errors={errors} />
      </FilterForm>

      {!read.ok ? (
        <Problem>
          {read.errors.cursor ? "This page of the log no longer exists." : "Some filters do not hold up: see the messages beside them."}{" "}
          <Link href={listHref("/admin/audit", read.errors.cursor ? filters : {}) as Route} className="underline">
            See the newest events
          </Link>
          .
        </Problem>
      ) : read.data.items.length === 0 ? (
        <EmptyState title={cursor ? "No older events." : filtered ? "No event matches these filters." : "Nothing recorded yet."}>
          <p>Sign-ins, API keys, role changes and every admin action are recorded here.</p>
        </EmptyState>
      ) : (
        <>
          <TableFrame label="Audit events">
            <table className={tableClass}>
              <caption className="sr-only">Audit events, newest first{filtered ? ", filtered" : ""}</caption>
              <thead>
                <tr className={theadRowClass}>
                  <th scope="col" className={thClass}>When</th>
                  <th scope="col" className={thClass}>Action</th>
                  <th scope="col" className={thClass}>By</th>
                  <th scope="col" className={thClass}>Subject</th>
                  <th scope="col" className={thClass}>From</th>
                  <th scope="col" className={thClass}>Detail</th>
                </tr>
              </thead>
              <tbody>
                {read.data.items.map((e) => (
                  <tr key={e.id} className={rowClass} data-testid="audit-event" data-action={e.action}>
                    <td className={`${tdClass} whitespace-nowrap`}>
                      <time dateTime={e.at}>{formatMoment(e.at)}</time>
                    </td>
                    <td className={`${tdClass} whitespace-nowrap`}>
                      {/* The action's own name, as the filter and the API give it. */}
                      <code className="text-xs font-semibold">{e.action}</code>
                    </td>
                    <td className={tdClass}>{e.actorEmail ?? (e.actorId ? "(deleted user)" : <span className={mutedClass}>system</span>)}</td>
                    <td className={tdClass}>{e.subjectEmail ?? (e.subjectId ? "(deleted user)" : <span className={mutedClass}>–</span>)}</td>
                    <td className={`${tdClass} whitespace-nowrap text-xs`}>
                      {e.address ?? "–"}
                      {e.userAgent ? <span className={`block ${mutedClass}`}>{describeUserAgent(e.userAgent)}</span> : null}
                    </td>
                    <td className={`${tdClass} max-w-md min-w-48 whitespace-normal`}>
                      <code className="text-xs break-all">{compactJson(e.detail)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableFrame>
          <Pager
            first={cursor ? listHref("/admin/audit", filters) : null}
            next={read.data.nextCursor ? listHref("/admin/audit", { ...filters, cursor: read.data.nextCursor }) : null}
          />
        </>
      )}
    </div>
  );
}
