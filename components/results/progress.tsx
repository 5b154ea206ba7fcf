import type { ProviderChip } from "./types";

const STATUS_TEXT: Record<ProviderChip["status"] | "waiting", string> = {
  waiting: "waiting…",
  ok: "answered",
  error: "failed",
  timeout: "timed out",
  circuit_open: "paused after failures",
  paused: "paused by an admin",
  skipped: "not asked",
};

const STATUS_CLASS: Record<ProviderChip["status"] | "waiting", string> = {
  waiting: "border-slate-300 text-slate-700 dark:border-slate-600 dark:text-slate-300",
  ok: "border-emerald-600 text-emerald-800 dark:border-emerald-500 dark:text-emerald-300",
  error: "border-red-600 text-red-800 dark:border-red-500 dark:text-red-300",
  timeout: "border-amber-600 text-amber-800 dark:border-amber-500 dark:text-amber-300",
  circuit_open: "border-red-600 text-red-800 dark:border-red-500 dark:text-red-300",
  paused: "border-slate-400 text-slate-700 dark:border-slate-500 dark:text-slate-300",
  skipped: "border-slate-300 text-slate-600 dark:border-slate-600 dark:text-slate-400",
};

export interface ChipState {
  provider: string;
  name: string;
  chip: ProviderChip | null;
}

/** The progress bar and one chip per provider; announced politely to screen readers. */
export function SearchProgress({ chips, done }: { chips: ChipState[]; done: boolean }) {
  const answered = chips.filter((c) => c.chip).length;
  const percent = chips.length ? Math.round((answered / chips.length) * 100) : 100;
  return (
    <section aria-label="Providers" className="space-y-2">
      {!done && (
        <div
          role="progressbar"
          aria-label="Search progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={`${answered} of ${chips.length} providers answered`}
          className="h-2 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
        >
          <div className="h-full rounded-full bg-brand-500 transition-[width] duration-300" style={{ width: `${Math.max(percent, 8)}%` }} />
        </div>
      )}
      <ul aria-live="polite" className="flex flex-wrap gap-2">
        {chips.map(({ provider, name, chip }) => {
          const status = chip?.status ?? "waiting";
          return (
            <li
              key={provider}
              data-testid={`provider-${provider}`}
              data-status={status}
              className={`rounded-full border px-3 py-1 text-xs font-medium ${STATUS_CLASS[status]}`}
              title={chip?.error ?? undefined}
            >
              {name}: {STATUS_TEXT[status]}
              {chip?.status === "ok" && ` · ${chip.offerCount} offers · ${(chip.latencyMs / 1000).toFixed(1)} s`}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
