import { formatMoment } from "@/components/format";
import type { ProviderPause } from "@/server/providers/pauses";
import { ResumeSchedulerButton } from "./scheduler-controls";

/** On every admin page while the scheduler is paused: who paused it, when and why, and Resume. */
export function MaintenanceBanner({ pause, by }: { pause: ProviderPause; by: string | null }) {
  return (
    <div
      role="status"
      data-testid="maintenance-banner"
      className="mt-4 flex flex-wrap items-center justify-between gap-3 rounded-xl border border-amber-300 bg-amber-50 px-4 py-3 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50"
    >
      <div className="min-w-0">
        <p className="font-semibold">Maintenance: the scheduler is paused</p>
        <p className="text-sm">
          No tracked route is refreshed on schedule until it is resumed (searches by people still run). Paused{by ? ` by ${by}` : ""} on {formatMoment(pause.pausedAt)}
          {pause.reason ? <>: “{pause.reason}”</> : " (no reason given)"}.
        </p>
      </div>
      <ResumeSchedulerButton />
    </div>
  );
}
