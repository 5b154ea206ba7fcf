/** A tracked route's price line: the points it was checked at, no axes. Server-rendered SVG. */
export function Sparkline({ points, label, width = 120, height = 32 }: { points: { at: string; amount: number }[]; label: string; width?: number; height?: number }) {
  if (points.length < 2) {
    return (
      <span className="text-xs text-slate-500 dark:text-slate-400" style={{ width }}>
        {points.length === 1 ? "first check" : "no checks yet"}
      </span>
    );
  }
  const times = points.map((p) => Date.parse(p.at));
  const amounts = points.map((p) => p.amount);
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const [low, high] = [Math.min(...amounts), Math.max(...amounts)];
  const x = (t: number) => (t1 === t0 ? width / 2 : ((t - t0) / (t1 - t0)) * (width - 4) + 2);
  const y = (a: number) => (high === low ? height / 2 : height - 3 - ((a - low) / (high - low)) * (height - 6));
  const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${x(times[i]!).toFixed(1)},${y(p.amount).toFixed(1)}`).join(" ");
  const last = points.at(-1)!;
  return (
    <svg role="img" aria-label={label} width={width} height={height} viewBox={`0 0 ${width} ${height}`} className="text-brand-600 dark:text-brand-100">
      <path d={path} fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinejoin="round" />
      <circle cx={x(Date.parse(last.at))} cy={y(last.amount)} r={2.5} fill="currentColor" />
    </svg>
  );
}
