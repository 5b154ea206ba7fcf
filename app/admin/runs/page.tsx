import type { Route } from "next";
import Link from "next/link";
import { FilterForm, localInputValue, queryStrings, SelectFilter, TextFilter, utcInstant } from "@/components/admin/filter-form";
import { RunsTable } from "@/components/admin/runs-table";
import { EmptyState, listHref, PageHeader, Pager, Problem } from "@/components/admin/ui";
import { PROVIDER_OUTCOMES, RUN_STATES, runsInput } from "@/server/core/admin-input";
import { getAppContext } from "@/server/context";
import { pageData } from "@/server/page-data";
import { listRuns } from "@/server/services/admin/ingestion";
import { hereWith, requireAdmin } from "../access";

export const metadata = { title: "Runs" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const PAGE_SIZE = 50;
const FILTERS = ["state", "provider", "providerStatus", "origin", "destination", "from", "to"] as const;
const STATE_WORDS: Record<(typeof RUN_STATES)[number], string> = { running: "Running", succeeded: "Succeeded", failed: "Failed", dead: "Dead-lettered" };
const OUTCOME_WORDS: Record<(typeof PROVIDER_OUTCOMES)[number], string> = {
  ok: "Answered",
  failed: "Any failure",
  error: "Error",
  timeout: "Timeout",
  circuit_open: "Circuit open",
};

/** Every ingestion run, newest first, filtered by a GET form, a page at a time (cursor). */
export default async function RunsPage({ searchParams }: Props) {
  const params = await searchParams;
  await requireAdmin(hereWith("/admin/runs", params));
  const filters = queryStrings(params, FILTERS);
  const cursor = queryStrings(params, ["cursor"]).cursor;
  const ctx = await getAppContext();
  // Bad input (a field or the cursor) comes back as messages per field, never as an error page.
  const read = await pageData(() =>
    listRuns(ctx, runsInput.parse({ ...filters, from: utcInstant(filters.from), to: utcInstant(filters.to), cursor, limit: PAGE_SIZE })),
  );
  const errors = read.ok ? null : read.errors;
  const filtered = Object.keys(filters).length > 0;
  const providers = ctx.providers.map((p) => [p.id, p.provider.name] as const);
  return (
    <div className="space-y-5">
      <PageHeader title="Runs">
        <p>
          Every ingestion run (one attempt of one job refreshing one tracked query), newest first. Runs marked <strong>demo</strong> come from the demo
          history written on a fresh start so that the console has something to show; retrying one runs a real job for its query.
        </p>
      </PageHeader>

      <FilterForm action="/admin/runs" label="Filter runs" clearHref={filtered ? "/admin/runs" : undefined}>
        <SelectFilter name="state" label="State" value={filters.state} errors={errors} options={RUN_STATES.map((s) => [s, STATE_WORDS[s]] as const)} />
        <SelectFilter name="provider" label="Provider" value={filters.provider} errors={errors} options={providers} />
        <SelectFilter name="providerStatus" label="Provider outcome" value={filters.providerStatus} errors={errors} options={PROVIDER_OUTCOMES.map((o) => [o, OUTCOME_WORDS[o]] as const)} />
        <TextFilter name="origin" label="From airport" value={filters.origin} errors={errors} placeholder="LHR" maxLength={3} />
        <TextFilter name="destination" label="To airport" value={filters.destination} errors={errors} placeholder="JFK" maxLength={3} />
        <TextFilter name="from" label="Started from" hint="(UTC)" type="datetime-local" value={localInputValue(filters.from)} errors={errors} />
        <TextFilter name="to" label="Started before" hint="(UTC)" type="datetime-local" value={localInputValue(filters.to)} errors={errors} />
      </FilterForm>

      {!read.ok ? (
        <Problem>
          {read.errors.cursor ? (
            <>This page of runs no longer exists (the link&apos;s cursor {read.errors.cursor.join("; ")}). </>
          ) : (
            <>Some filters do not hold up: see the messages beside them. </>
          )}
          <Link href={listHref("/admin/runs", read.errors.cursor ? filters : {}) as Route} className="underline">
            {read.errors.cursor ? "See the newest runs" : "Show all runs"}
          </Link>
          .
        </Problem>
      ) : read.data.items.length === 0 ? (
        <EmptyState title={cursor ? "No older runs." : filtered ? "No run matches these filters." : "No ingestion run yet."}>
          {filtered || cursor ? (
            <p>Try wider filters, or clear them.</p>
          ) : (
            <p>
              Runs appear when a tracked route is refreshed: once someone tracks a route, the scheduler hands its queries to the job queue on their cadence. The
              demo history&apos;s runs appear here after a fresh start with the demo data.
            </p>
          )}
        </EmptyState>
      ) : (
        <>
          <RunsTable runs={read.data.items} caption={`Ingestion runs, newest first${filtered ? ", filtered" : ""}`} />
          <Pager
            first={cursor ? listHref("/admin/runs", filters) : null}
            next={read.data.nextCursor ? listHref("/admin/runs", { ...filters, cursor: read.data.nextCursor }) : null}
          />
        </>
      )}
    </div>
  );
}
