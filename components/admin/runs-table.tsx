import type { RunView } from "@/db/queries/admin";
import { formatCount, formatMs, formatShortMoment } from "./format";
import { ProviderChips, RunBadges, RunLink, RunRouteCell } from "./run-bits";
import { rowClass, TableFrame, tdClass, theadRowClass, thClass } from "./ui";

/** Ingestion runs as a table, each row linking to the run's page. */
export function RunsTable({ runs, caption }: { runs: RunView[]; caption: string }) {
  return (
    <TableFrame label={caption}>
      {/* Wide enough to read on a phone (it scrolls), narrow enough to fit a desktop: the providers wrap. */}
      <table className="w-full min-w-[60rem] text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className={theadRowClass}>
            <th scope="col" className={thClass}>Run</th>
            <th scope="col" className={thClass}>Started (UTC)</th>
            <th scope="col" className={thClass}>Query</th>
            <th scope="col" className={thClass}>Status</th>
            <th scope="col" className={`${thClass} text-right`}>Attempt</th>
            <th scope="col" className={thClass}>Providers</th>
            <th scope="col" className={`${thClass} text-right`}>Offers</th>
            <th scope="col" className={`${thClass} text-right`}>Snapshots</th>
            <th scope="col" className={`${thClass} text-right`}>Took</th>
            <th scope="col" className={`${thClass} text-right`}>Lag</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} className={rowClass} data-testid="run-row" data-run-id={run.id}>
              <td className={tdClass}>
                <RunLink id={run.id} />
              </td>
              <td className={`${tdClass} whitespace-nowrap`}>
                <time dateTime={run.startedAt}>{formatShortMoment(run.startedAt)}</time>
              </td>
              <td className={tdClass}>
                <RunRouteCell route={run.route} />
              </td>
              <td className={tdClass}>
                <RunBadges run={run} />
              </td>
              <td className={`${tdClass} text-right tabular-nums`}>{run.attempt}</td>
              <td className={`${tdClass} min-w-56`}>
                <ProviderChips providers={run.providers} />
              </td>
              <td className={`${tdClass} text-right tabular-nums`}>{formatCount(run.offers)}</td>
              <td className={`${tdClass} text-right tabular-nums`}>{formatCount(run.snapshotsWritten)}</td>
              <td className={`${tdClass} text-right tabular-nums whitespace-nowrap`}>{formatMs(run.durationMs)}</td>
              <td className={`${tdClass} text-right tabular-nums whitespace-nowrap`}>{formatMs(run.lagMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableFrame>
  );
}
