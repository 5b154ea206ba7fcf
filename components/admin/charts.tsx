import type { ReactNode } from "react";
import { formatCount, formatHour, formatMs } from "./format";
import { mutedClass } from "./ui";

/**
 * The console's charts: plain SVG drawn here (no chart library), rendered on the server too, each
 * with a text alternative: a summary as its accessible name and the figures as a table.
 */

/** The plot's own units: one slot of 10 per hour, 100 high; it stretches to its box (labels are HTML, never stretched). */
const SLOT = 10;
const PLOT_HEIGHT = 100;

export interface HourBar {
  /** The hour's start (ISO). */
  hour: string;
  value: number;
  /** A part of `value` drawn over it (errors among calls). */
  part?: number;
  /** A figure on its own scale, drawn as a line (p95 latency in ms). */
  line?: number | null;
}

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= value)!;
  return step * magnitude;
}

/**
 * Bars per hour (oldest first), an optional part over each, and an optional line on a scale of
 * its own (right). The SVG stretches to the width it has; its labels are text beside it, so they
 * keep their size on a phone and on a wide screen alike.
 */
export function HourlyBars({
  bars,
  title,
  summary,
  valueLabel,
  partLabel,
  lineLabel,
  testId,
}: {
  bars: HourBar[];
  title: string;
  summary: string;
  valueLabel: string;
  partLabel?: string;
  lineLabel?: string;
  testId?: string;
}) {
  const width = Math.max(1, bars.length) * SLOT;
  const max = niceMax(Math.max(0, ...bars.map((b) => b.value)));
  const lineValues = bars.map((b) => b.line).filter((v): v is number => typeof v === "number");
  const lineMax = niceMax(Math.max(0, ...lineValues));
  const y = (v: number) => PLOT_HEIGHT - (v / max) * PLOT_HEIGHT;
  const yLine = (v: number) => PLOT_HEIGHT - (v / lineMax) * (PLOT_HEIGHT - 2) - 1;
  const barX = (i: number) => i * SLOT + 1.5;
  // Runs of consecutive hours with a figure make the line's pieces (an hour without calls has no latency).
  const pieces: [number, number][][] = [];
  bars.forEach((b, i) => {
    if (typeof b.line !== "number") return;
    if (i === 0 || typeof bars[i - 1]!.line !== "number") pieces.push([]);
    pieces.at(-1)!.push([i * SLOT + SLOT / 2, yLine(b.line)]);
  });
  const axis = "w-12 shrink-0 flex-col justify-between text-[0.6875rem] leading-none tabular-nums";
  return (
    <figure className="min-w-0">
      <div className="flex gap-1">
        <div className={`flex ${axis} pr-1 text-right`} aria-hidden="true">
          <span>{formatCount(max)}</span>
          <span>0</span>
        </div>
        <div className="min-w-0 flex-1">
          <svg
            viewBox={`0 0 ${width} ${PLOT_HEIGHT}`}
            preserveAspectRatio="none"
            className="block h-32 w-full border-b border-slate-500 text-slate-500"
            role="img"
            aria-label={`${title}. ${summary}`}
            data-testid={testId}
          >
            <line x1={0} x2={width} y1={0.5} y2={0.5} stroke="currentColor" strokeDasharray="3 3" vectorEffect="non-scaling-stroke" strokeWidth={1} />
            {bars.map((b, i) => (
              <g key={b.hour}>
                {b.value > 0 ? <rect x={barX(i)} y={y(b.value)} width={SLOT - 3} height={PLOT_HEIGHT - y(b.value)} className="fill-brand-500" /> : null}
                {b.part ? <rect x={barX(i)} y={y(b.part)} width={SLOT - 3} height={PLOT_HEIGHT - y(b.part)} className="fill-red-600 dark:fill-red-400" /> : null}
              </g>
            ))}
            {pieces.map((piece, i) => (
              <polyline
                key={i}
                // A lone hour gets a short dash, so that it shows.
                points={(piece.length > 1 ? piece : [[piece[0]![0] - SLOT / 3, piece[0]![1]], [piece[0]![0] + SLOT / 3, piece[0]![1]]]).map(([px, py]) => `${px},${py}`).join(" ")}
                fill="none"
                strokeWidth={2}
                vectorEffect="non-scaling-stroke"
                className="stroke-amber-600 dark:stroke-amber-300"
              />
            ))}
          </svg>
          <div className="relative mt-1 h-4 text-[0.6875rem] leading-none text-slate-600 dark:text-slate-400" aria-hidden="true">
            {bars.map((b, i) =>
              i % 6 === 0 ? (
                <span key={b.hour} className="absolute" style={{ left: `${(i / bars.length) * 100}%` }}>
                  {formatHour(b.hour)}
                </span>
              ) : null,
            )}
          </div>
        </div>
        {lineLabel ? (
          <div className={`flex ${axis} pl-1 text-amber-800 dark:text-amber-200`} aria-hidden="true">
            <span>{lineValues.length ? formatMs(lineMax) : ""}</span>
            <span>{lineValues.length ? "0" : ""}</span>
          </div>
        ) : null}
      </div>
      <figcaption className={`mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs ${mutedClass}`}>
        <Key swatch="bg-brand-500">{valueLabel}</Key>
        {partLabel ? <Key swatch="bg-red-600 dark:bg-red-400">{partLabel}</Key> : null}
        {lineLabel ? (
          <Key swatch="bg-amber-600 dark:bg-amber-300" line>
            {lineLabel} (right scale)
          </Key>
        ) : null}
        <span>Hours in UTC.</span>
      </figcaption>
      <details className="mt-1">
        <summary className="cursor-pointer text-xs font-medium">Figures as a table</summary>
        <div className="mt-1 max-h-64 overflow-auto" tabIndex={0} role="region" aria-label={`${title}: figures`}>
          <table className="w-full text-left text-xs tabular-nums">
            <caption className="sr-only">{title}, per hour</caption>
            <thead>
              <tr className="border-b border-slate-200 dark:border-slate-700">
                <th scope="col" className="py-1 pr-3">Hour (UTC)</th>
                <th scope="col" className="py-1 pr-3">{valueLabel}</th>
                {partLabel ? <th scope="col" className="py-1 pr-3">{partLabel}</th> : null}
                {lineLabel ? <th scope="col" className="py-1">{lineLabel}</th> : null}
              </tr>
            </thead>
            <tbody>
              {bars.map((b) => (
                <tr key={b.hour} className="border-b border-slate-100 dark:border-slate-800">
                  <th scope="row" className="py-0.5 pr-3 font-normal">{formatHour(b.hour)}</th>
                  <td className="py-0.5 pr-3">{formatCount(b.value)}</td>
                  {partLabel ? <td className="py-0.5 pr-3">{formatCount(b.part ?? 0)}</td> : null}
                  {lineLabel ? <td className="py-0.5">{formatMs(b.line)}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

function Key({ swatch, line, children }: { swatch: string; line?: boolean; children: ReactNode }) {
  return (
    <span>
      <span aria-hidden="true" className={`mr-1 inline-block align-middle ${line ? "h-0.5 w-4" : "h-2 w-3"} ${swatch}`} />
      {children}
    </span>
  );
}

/** A failure group's runs per hour: small bars, no axes; its accessible name says what they show. */
export function MiniBars({ values, label }: { values: number[]; label: string }) {
  const width = 120;
  const height = 28;
  const max = Math.max(1, ...values);
  const slot = width / Math.max(1, values.length);
  return (
    <svg role="img" aria-label={label} width={width} height={height} viewBox={`0 0 ${width} ${height}`} className="shrink-0 text-red-600 dark:text-red-400">
      <line x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} stroke="currentColor" strokeOpacity={0.4} />
      {values.map((v, i) =>
        v > 0 ? <rect key={i} x={i * slot + slot * 0.15} width={slot * 0.7} y={height - 1 - (v / max) * (height - 2)} height={(v / max) * (height - 2)} fill="currentColor" /> : null,
      )}
    </svg>
  );
}
