"use client";

import { AxisBottom, AxisLeft } from "@visx/axis";
import { curveMonotoneX } from "@visx/curve";
import { Group } from "@visx/group";
import { scaleLinear, scaleUtc } from "@visx/scale";
import { AreaClosed, Line, LinePath } from "@visx/shape";
import { useId, useState, type KeyboardEvent, type PointerEvent } from "react";
import { formatDate, formatPrice, minorToMajor } from "@/components/format";

export interface ChartPoint {
  day: string;
  minMinor: number;
  avgMinor: number;
  maxMinor: number;
  samples: number;
}

const WIDTH = 760;
const HEIGHT = 280;
const MARGIN = { top: 16, right: 16, bottom: 36, left: 64 };

/**
 * Daily min-max band with the average as a line. An SVG rendered on the server too (so it shows
 * without JavaScript); with it, pointer and arrow keys move a tooltip with the exact figures.
 */
export function PriceChart({ points, currency, title }: { points: ChartPoint[]; currency: string; title: string }) {
  const id = useId();
  const [active, setActive] = useState<number | null>(null);
  if (points.length === 0) {
    return <p className="rounded-xl border border-dashed border-slate-300 p-8 text-center text-sm dark:border-slate-700">No prices observed in this period yet.</p>;
  }
  const x = (p: ChartPoint) => new Date(`${p.day}T00:00:00Z`);
  const major = (minor: number) => minorToMajor(minor, currency);
  const innerWidth = WIDTH - MARGIN.left - MARGIN.right;
  const innerHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const first = x(points[0]!);
  const last = x(points.at(-1)!);
  const xScale = scaleUtc({ domain: [first, last.getTime() === first.getTime() ? new Date(first.getTime() + 86_400_000) : last], range: [0, innerWidth] });
  const low = Math.min(...points.map((p) => major(p.minMinor)));
  const high = Math.max(...points.map((p) => major(p.maxMinor)));
  const yScale = scaleLinear({ domain: [low * 0.95, high * 1.05], range: [innerHeight, 0], nice: true });
  const point = active === null ? null : points[active]!;

  const nearest = (event: PointerEvent<SVGRectElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const at = xScale.invert(((event.clientX - box.left) / box.width) * innerWidth).getTime();
    let best = 0;
    points.forEach((p, i) => {
      if (Math.abs(x(p).getTime() - at) < Math.abs(x(points[best]!).getTime() - at)) best = i;
    });
    setActive(best);
  };
  const keys = (event: KeyboardEvent<SVGSVGElement>) => {
    const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, PageUp: -7, PageDown: 7 };
    if (event.key in moves) {
      event.preventDefault();
      setActive((i) => Math.min(points.length - 1, Math.max(0, (i ?? points.length - 1) + (i === null ? 0 : moves[event.key]!))));
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      setActive(event.key === "Home" ? 0 : points.length - 1);
    } else if (event.key === "Escape") setActive(null);
  };

  return (
    <figure className="relative">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="h-auto w-full touch-pan-y text-slate-500 focus-visible:outline-3"
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-desc`}
        tabIndex={0}
        onKeyDown={keys}
        onBlur={() => setActive(null)}
        data-testid="price-chart"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>
          {`${points.length} days from ${formatDate(points[0]!.day)} to ${formatDate(points.at(-1)!.day)}; lowest ${formatPrice(Math.min(...points.map((p) => p.minMinor)), currency)}, highest ${formatPrice(Math.max(...points.map((p) => p.maxMinor)), currency)}. Use the left and right arrow keys to read each day.`}
        </desc>
        <Group left={MARGIN.left} top={MARGIN.top}>
          <AreaClosed<ChartPoint>
            data={points}
            x={(p) => xScale(x(p))}
            y0={(p) => yScale(major(p.minMinor))}
            y1={(p) => yScale(major(p.maxMinor))}
            yScale={yScale}
            curve={curveMonotoneX}
            className="fill-brand-100 dark:fill-slate-700"
            data-testid="chart-band"
          />
          <LinePath<ChartPoint> data={points} x={(p) => xScale(x(p))} y={(p) => yScale(major(p.avgMinor))} curve={curveMonotoneX} className="stroke-brand-600 dark:stroke-brand-100" strokeWidth={2} fill="none" data-testid="chart-line" />
          <LinePath<ChartPoint> data={points} x={(p) => xScale(x(p))} y={(p) => yScale(major(p.minMinor))} curve={curveMonotoneX} className="stroke-emerald-600" strokeWidth={1.5} strokeDasharray="4 3" fill="none" />
          <AxisLeft
            scale={yScale}
            numTicks={5}
            tickFormat={(v) => formatPrice(Math.round(Number(v) / minorToMajor(1, currency)), currency)}
            stroke="currentColor"
            tickStroke="currentColor"
            tickLabelProps={{ fill: "currentColor", fontSize: 11, textAnchor: "end", dx: -4, dy: 3 }}
          />
          <AxisBottom
            top={innerHeight}
            scale={xScale}
            numTicks={6}
            tickFormat={(v) => formatDate((v as Date).toISOString(), { day: "numeric", month: "short" })}
            stroke="currentColor"
            tickStroke="currentColor"
            tickLabelProps={{ fill: "currentColor", fontSize: 11, textAnchor: "middle" }}
          />
          {point && (
            <g pointerEvents="none">
              <Line from={{ x: xScale(x(point)), y: 0 }} to={{ x: xScale(x(point)), y: innerHeight }} className="stroke-slate-400" strokeDasharray="2 2" />
              <circle cx={xScale(x(point))} cy={yScale(major(point.avgMinor))} r={4} className="fill-brand-600" />
            </g>
          )}
          <rect width={innerWidth} height={innerHeight} fill="transparent" onPointerMove={nearest} onPointerDown={nearest} onPointerLeave={() => setActive(null)} />
        </Group>
      </svg>
      <div aria-live="polite" className="min-h-6">
        {point && (
          <div
            role="tooltip"
            data-testid="chart-tooltip"
            className="pointer-events-none absolute top-2 rounded-lg border border-slate-200 bg-white px-3 py-2 text-xs shadow-md dark:border-slate-700 dark:bg-slate-900"
            style={{ left: `clamp(0px, calc(${((MARGIN.left + xScale(x(point))) / WIDTH) * 100}% - 5rem), calc(100% - 10rem))` }}
          >
            <p className="font-semibold">{formatDate(point.day, { weekday: "short", day: "numeric", month: "short", year: "numeric" })}</p>
            <p>Lowest {formatPrice(point.minMinor, currency, { whole: false })}</p>
            <p>Average {formatPrice(point.avgMinor, currency, { whole: false })}</p>
            <p>Highest {formatPrice(point.maxMinor, currency, { whole: false })}</p>
            <p className="text-slate-600 dark:text-slate-400">{point.samples} prices</p>
          </div>
        )}
      </div>
      <figcaption className="flex flex-wrap gap-4 text-xs text-slate-600 dark:text-slate-400">
        <span><span aria-hidden="true" className="mr-1 inline-block h-2 w-4 bg-brand-100 align-middle dark:bg-slate-700" />Daily lowest to highest</span>
        <span><span aria-hidden="true" className="mr-1 inline-block h-0.5 w-4 bg-brand-600 align-middle" />Daily average</span>
        <span><span aria-hidden="true" className="mr-1 inline-block h-0.5 w-4 border-t border-dashed border-emerald-600 align-middle" />Daily lowest</span>
        <span>Prices per adult, observed by day (UTC).</span>
      </figcaption>
    </figure>
  );
}

/** The chart's figures as a table: the text alternative. */
export function PriceTable({ points, currency }: { points: ChartPoint[]; currency: string }) {
  return (
    <details className="mt-3">
      <summary className="cursor-pointer text-sm font-medium">Show the figures as a table</summary>
      <div className="mt-2 max-h-96 overflow-auto">
        <table className="w-full text-left text-sm tabular-nums">
          <caption className="sr-only">Daily prices per adult</caption>
          <thead>
            <tr className="border-b border-slate-200 dark:border-slate-700">
              <th scope="col" className="py-1 pr-4">Day</th>
              <th scope="col" className="py-1 pr-4">Lowest</th>
              <th scope="col" className="py-1 pr-4">Average</th>
              <th scope="col" className="py-1 pr-4">Highest</th>
              <th scope="col" className="py-1">Prices</th>
            </tr>
          </thead>
          <tbody>
            {points.toReversed().map((p) => (
              <tr key={p.day} className="border-b border-slate-100 dark:border-slate-800">
                <th scope="row" className="py-1 pr-4 font-normal">{formatDate(p.day, { day: "numeric", month: "short", year: "numeric" })}</th>
                <td className="py-1 pr-4">{formatPrice(p.minMinor, currency, { whole: false })}</td>
                <td className="py-1 pr-4">{formatPrice(p.avgMinor, currency, { whole: false })}</td>
                <td className="py-1 pr-4">{formatPrice(p.maxMinor, currency, { whole: false })}</td>
                <td className="py-1">{p.samples}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
