import { formatDate, formatPrice } from "@/components/format";
import { searchHref } from "@/server/core/links";
import { addDays } from "@/server/core/time";

export interface GridCell {
  departureDate: string;
  minMinor: number;
  samples: number;
  lastObserved: string;
}

interface Props {
  cells: GridCell[];
  from: string;
  to: string;
  currency: string;
  /** The search each day links to, without its departure date. */
  search: Record<string, string>;
  selected?: string;
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/**
 * One calendar per month: the cheapest one-way price seen for each departure date, shaded by
 * third (cheapest third green), each day a link that searches it.
 */
export function DateGrid({ cells, from, to, currency, search, selected }: Props) {
  const byDate = new Map(cells.map((c) => [c.departureDate, c]));
  const sorted = cells.map((c) => c.minMinor).sort((a, b) => a - b);
  const third = (n: number) => sorted[Math.floor((sorted.length - 1) * n)] ?? 0;
  const [cheap, dear] = [third(1 / 3), third(2 / 3)];
  const months: string[] = [];
  for (let d = `${from.slice(0, 7)}-01`; d <= to; d = addDays(d, 32).slice(0, 7) + "-01") months.push(d);

  return (
    <div className="grid gap-6 sm:grid-cols-2 xl:grid-cols-3" data-testid="date-grid">
      {months.map((month) => {
        const first = new Date(`${month}T00:00:00Z`);
        const lead = (first.getUTCDay() + 6) % 7;
        const days: string[] = [];
        for (let d = month; d.slice(0, 7) === month.slice(0, 7); d = addDays(d, 1)) days.push(d);
        return (
          <section key={month} aria-label={formatDate(month, { month: "long", year: "numeric" })}>
            <h3 className="mb-2 text-sm font-semibold">{formatDate(month, { month: "long", year: "numeric" })}</h3>
            <div className="grid grid-cols-7 gap-1 text-center text-[11px] text-slate-600 dark:text-slate-400" aria-hidden="true">
              {WEEKDAYS.map((w) => (
                <span key={w}>{w}</span>
              ))}
            </div>
            <ol className="mt-1 grid grid-cols-7 gap-1">
              {days.map((day, i) => {
                const cell = byDate.get(day);
                const outside = day < from || day > to;
                const shade = !cell ? "" : cell.minMinor <= cheap ? "bg-emerald-100 dark:bg-emerald-900" : cell.minMinor >= dear ? "bg-amber-100 dark:bg-amber-900" : "bg-slate-100 dark:bg-slate-800";
                const label = `${formatDate(day, { weekday: "long", day: "numeric", month: "long" })}: ${cell ? `from ${formatPrice(cell.minMinor, currency)}` : "no price seen yet"}`;
                return (
                  <li key={day} style={i === 0 ? { gridColumnStart: lead + 1 } : undefined}>
                    {outside ? (
                      <span className="block rounded-md p-1 text-xs text-slate-500 line-through dark:text-slate-400" title="Outside the dates shown">{Number(day.slice(8))}</span>
                    ) : (
                      <a
                        href={searchHref({ ...search, departureDate: day })}
                        aria-label={`${label}. Search this day`}
                        aria-current={day === selected ? "date" : undefined}
                        data-date={day}
                        className={`block rounded-md p-1 text-xs leading-tight hover:ring-2 hover:ring-brand-500 aria-[current=date]:ring-2 aria-[current=date]:ring-brand-600 ${shade}`}
                      >
                        <span className="block font-medium">{Number(day.slice(8))}</span>
                        <span className="block tabular-nums text-[10px] sm:text-[11px]">{cell ? formatPrice(cell.minMinor, currency) : "–"}</span>
                      </a>
                    )}
                  </li>
                );
              })}
            </ol>
          </section>
        );
      })}
    </div>
  );
}
