import type { Route } from "next";
import Link from "next/link";
import { CABIN_LABELS, formatDate } from "@/components/format";
import type { RunRoute, RunView } from "@/db/queries/admin";
import { formatMs } from "./format";
import { Badge, RESOLUTION_TONES, RUN_STATUS_TONES } from "./ui";

/** Pieces of a run as the console shows it (the runs list, a run's page, the failures). */

export function runHref(id: number): Route {
  return `/admin/runs/${id}` as Route;
}

/** "LHR → JFK · Sat 12 Dec – Sat 19 Dec · Economy" */
export function describeRunRoute(route: RunRoute): string {
  const dates = route.returnDate ? `${formatDate(route.departureDate)} – ${formatDate(route.returnDate)}` : `${formatDate(route.departureDate)}, one way`;
  return `${route.origin} → ${route.destination} · ${dates} · ${CABIN_LABELS[route.cabin] ?? route.cabin}`;
}

/** The query in two lines: the route, then its dates and cabin (for tables). */
export function RunRouteCell({ route }: { route: RunRoute }) {
  const dates = route.returnDate ? `${formatDate(route.departureDate)} – ${formatDate(route.returnDate)}` : `${formatDate(route.departureDate)}, one way`;
  return (
    <>
      <span className="block font-medium whitespace-nowrap">
        {route.origin} → {route.destination}
      </span>
      <span className="block text-xs whitespace-nowrap text-slate-600 dark:text-slate-400">
        {dates} · {CABIN_LABELS[route.cabin] ?? route.cabin}
      </span>
    </>
  );
}

export const RESOLUTION_WORDS: Record<string, string> = { dead: "dead-lettered", retried: "retried", discarded: "discarded" };

/** The run's status, what an admin did about it if it was its job's last failure, and "demo". */
export function RunBadges({ run, statusTestId }: { run: Pick<RunView, "status" | "resolution" | "demo">; statusTestId?: string }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <Badge tone={RUN_STATUS_TONES[run.status] ?? "neutral"} testId={statusTestId}>
        {run.status}
      </Badge>
      {run.resolution ? <Badge tone={RESOLUTION_TONES[run.resolution] ?? "neutral"}>{RESOLUTION_WORDS[run.resolution] ?? run.resolution}</Badge> : null}
      {run.demo ? (
        <Badge tone="demo" testId="demo-badge">
          demo
        </Badge>
      ) : null}
    </span>
  );
}

const PROVIDER_TONES: Record<string, "good" | "bad" | "warn" | "neutral"> = { ok: "good", error: "bad", timeout: "warn", circuit_open: "warn", paused: "neutral" };

/** Each provider's answer in a line: "skyway ok 320 ms · farefinder timeout". */
export function ProviderChips({ providers }: { providers: RunView["providers"] }) {
  if (providers.length === 0) return <span className="text-slate-600 dark:text-slate-400">none</span>;
  return (
    <ul className="flex flex-wrap gap-1">
      {providers.map((p) => (
        <li key={p.provider} className="inline-flex items-center gap-1 whitespace-nowrap">
          <span>{p.provider}</span>
          <Badge tone={PROVIDER_TONES[p.status] ?? "neutral"}>{p.status.replace("_", " ")}</Badge>
          <span className="text-xs text-slate-600 dark:text-slate-400">{formatMs(p.latencyMs)}</span>
        </li>
      ))}
    </ul>
  );
}

export function RunLink({ id }: { id: number }) {
  return (
    <Link href={runHref(id)} aria-label={`Run ${id}`} className="font-medium underline">
      #{id}
    </Link>
  );
}
