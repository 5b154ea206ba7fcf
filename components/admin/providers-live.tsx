"use client";

import { RefreshFailed } from "./refresh-failed";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { describeFailure } from "@/components/account/mutation-error";
import { formatMoment } from "@/components/format";
import { useTRPC } from "@/components/trpc/client";
import type { CallStats } from "@/db/queries/admin";
import type { ProviderHealth } from "@/server/services/admin/providers";
import { HourlyBars } from "./charts";
import { BREAKER_WORDS, formatClock, formatCount, formatMs, formatRate } from "./format";
import { Badge, buttonClass, fieldClass, labelClass, mutedClass, PageHeader, primaryButtonClass, rowClass, sectionClass, TableFrame, tableClass, tdClass, theadRowClass, thClass } from "./ui";

/** How often the page asks for fresh figures (only while the tab is visible). */
const POLL_MS = 10_000;

const METRICS: [string, (s: CallStats) => string][] = [
  ["Calls", (s) => formatCount(s.calls)],
  ["Error rate", (s) => (s.calls - s.circuitOpen > 0 ? formatRate(s.errorRate) : "–")],
  ["Errors", (s) => formatCount(s.errors)],
  ["Timeouts", (s) => formatCount(s.timeouts)],
  ["Skipped, circuit open", (s) => formatCount(s.circuitOpen)],
  ["Latency p50", (s) => formatMs(s.p50Ms)],
  ["Latency p95", (s) => formatMs(s.p95Ms)],
];

function PauseControl({ provider }: { provider: ProviderHealth }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const id = useId();
  const [reason, setReason] = useState("");
  const change = useMutation(
    trpc.admin.setProviderPaused.mutationOptions({
      onSuccess: async () => {
        setReason("");
        await queryClient.invalidateQueries({ queryKey: trpc.admin.providerHealth.queryKey() });
        router.refresh();
      },
    }),
  );
  const failure = change.error ? describeFailure(change.error) : null;
  return (
    <div>
      {provider.paused ? (
        <button type="button" className={primaryButtonClass} disabled={change.isPending} onClick={() => change.mutate({ provider: provider.id, paused: false })}>
          {`Resume ${provider.name}`}
        </button>
      ) : (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            change.mutate({ provider: provider.id, paused: true, ...(reason.trim() ? { reason: reason.trim() } : {}) });
          }}
        >
          <label className={`${labelClass} min-w-0 flex-1 basis-56`}>
            Reason for pausing {provider.name} <span className="font-normal text-slate-600 dark:text-slate-400">(optional)</span>
            <input
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              maxLength={200}
              placeholder="Answers with stale fares since 09:00"
              className={fieldClass}
              {...(failure ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : {})}
            />
          </label>
          <button type="submit" className={buttonClass} disabled={change.isPending}>
            {`Pause ${provider.name}`}
          </button>
        </form>
      )}
      {failure ? (
        <p role="alert" id={`${id}-error`} className="mt-1 text-sm text-red-700 dark:text-red-400">
          {failure.message}
        </p>
      ) : null}
    </div>
  );
}

function ProviderCard({ provider, who }: { provider: ProviderHealth; who: (id: string | null) => string }) {
  const titleId = useId();
  const made = provider.day.calls;
  return (
    <section aria-labelledby={titleId} className={sectionClass} data-testid="provider-health" data-provider={provider.id}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id={titleId} className="text-lg font-semibold">
          {provider.name}
        </h2>
        <p className="flex flex-wrap items-center gap-1 text-sm">
          {provider.paused ? (
            <Badge tone="warn" testId="provider-state">
              paused
            </Badge>
          ) : (
            <Badge tone="good" testId="provider-state">
              active
            </Badge>
          )}
          <span className="sr-only">, circuit breaker on this instance:</span>
          <Badge tone={provider.breaker === "closed" ? "neutral" : "bad"}>
            <span aria-hidden="true">circuit </span>
            {BREAKER_WORDS[provider.breaker] ?? provider.breaker}
          </Badge>
          {provider.simulated ? <Badge tone="info">simulated</Badge> : null}
        </p>
      </div>
      {provider.paused ? (
        <p className="mt-2 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-50" data-testid="provider-pause">
          Paused{provider.paused.pausedBy ? ` by ${who(provider.paused.pausedBy)}` : ""} on {formatMoment(provider.paused.pausedAt)}
          {provider.paused.reason ? <>: “{provider.paused.reason}”</> : " (no reason given)"}. Neither searches nor scheduled refreshes call it, on any instance.
        </p>
      ) : null}

      <div className="mt-4 grid gap-5 lg:grid-cols-[minmax(0,24rem)_minmax(0,1fr)]">
        <TableFrame label={`${provider.name}: calls`}>
          <table className={tableClass}>
            <caption className="sr-only">{provider.name}: calls in the last hour and the last 24 hours (live searches and scheduled runs, every instance)</caption>
            <thead>
              <tr className={theadRowClass}>
                <th scope="col" className={thClass}>
                  <span className="sr-only">Figure</span>
                </th>
                <th scope="col" className={`${thClass} text-right`}>Last hour</th>
                <th scope="col" className={`${thClass} text-right`}>Last 24 h</th>
              </tr>
            </thead>
            <tbody className="tabular-nums">
              {METRICS.map(([label, value]) => (
                <tr key={label} className={rowClass}>
                  <th scope="row" className={`${tdClass} font-normal`}>{label}</th>
                  <td className={`${tdClass} text-right`}>{value(provider.hour)}</td>
                  <td className={`${tdClass} text-right`}>{value(provider.day)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
        <HourlyBars
          bars={provider.hourly.map((h) => ({ hour: h.hour, value: h.calls, part: h.errors + h.timeouts, line: h.p95Ms }))}
          title={`${provider.name}: calls, failures and p95 latency per hour, last 24 hours`}
          summary={made === 0 ? "No calls in the last 24 hours." : `${formatCount(made)} calls, ${formatCount(provider.day.errors + provider.day.timeouts)} failed; p95 latency ${formatMs(provider.day.p95Ms)}.`}
          valueLabel="Calls"
          partLabel="Errors and timeouts"
          lineLabel="p95 latency"
          testId="provider-chart"
        />
      </div>

      <h3 className="mt-4 text-sm font-semibold">Last errors</h3>
      {provider.lastErrors.length === 0 ? (
        <p className={`mt-1 text-sm ${mutedClass}`}>None recorded.</p>
      ) : (
        <ul className="mt-1 space-y-1 text-sm">
          {provider.lastErrors.map((e, i) => (
            <li key={`${e.at}-${i}`} className="break-words">
              <span className="whitespace-nowrap">{formatMoment(e.at)}</span> <Badge tone={e.status === "error" ? "bad" : "warn"}>{e.status.replace("_", " ")}</Badge>{" "}
              <span className={mutedClass}>
                {e.route} · {formatMs(e.latencyMs)}
              </span>
              {e.error ? <span className="block text-xs text-slate-700 dark:text-slate-300">{e.error}</span> : null}
            </li>
          ))}
        </ul>
      )}

      <div className="mt-4 border-t border-slate-200 pt-4 dark:border-slate-800">
        <PauseControl provider={provider} />
      </div>
    </section>
  );
}

/**
 * Each provider's health from the recorded calls (every instance), rendered on the server, then
 * asked for again every 10 s while the tab is visible. `names` says who paused what (the server
 * looks addresses up); a pause by someone it did not know renders the page again.
 */
export function ProvidersLive({
  initial,
  names,
  renderedAt,
  viewer,
}: {
  initial: ProviderHealth[];
  names: Record<string, string>;
  renderedAt: string;
  viewer: { id: string; label: string };
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const query = useQuery({ ...trpc.admin.providerHealth.queryOptions(), initialData: initial, refetchInterval: POLL_MS, staleTime: POLL_MS - 1_000 });
  const unknown = query.data
    .map((p) => p.paused?.pausedBy)
    .filter((id): id is string => Boolean(id) && id !== viewer.id && !(id! in names))
    .join(",");
  useEffect(() => {
    if (unknown) router.refresh();
  }, [unknown, router]);
  const who = (id: string | null) => (id === viewer.id ? `${viewer.label} (you)` : id ? (names[id] ?? "an admin") : "an admin");
  return (
    <div className="space-y-6">
      <PageHeader title="Providers">
        <p>
          Calls to each price provider from live searches and scheduled refreshes, as every instance recorded them; the circuit breaker is this
          instance&apos;s. Pausing a provider stops both kinds of call on every instance at once.{" "}
          <span className={mutedClass}>
            Updated {formatClock(query.isFetchedAfterMount ? new Date(query.dataUpdatedAt) : renderedAt)} · refreshes every 10 s
          </span>
        </p>
        {query.isRefetchError ? <RefreshFailed error={query.error} /> : null}
      </PageHeader>
      {query.data.length === 0 ? (
        <p className={mutedClass}>No provider is enabled (see PROVIDERS in the configuration).</p>
      ) : (
        query.data.map((p) => <ProviderCard key={p.id} provider={p} who={who} />)
      )}
    </div>
  );
}
