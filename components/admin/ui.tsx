import Link from "next/link";
import type { Route } from "next";
import type { ReactNode } from "react";

/** The admin console's building blocks (server and client components alike). */

export const sectionClass = "min-w-0 rounded-xl border border-slate-200 p-4 sm:p-5 dark:border-slate-800";
export const buttonClass =
  "inline-flex items-center rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-60 dark:border-slate-600 dark:hover:bg-slate-800";
export const smallButtonClass =
  "inline-flex items-center rounded-lg border border-slate-300 px-2.5 py-1 text-sm font-medium hover:bg-slate-50 disabled:opacity-60 dark:border-slate-600 dark:hover:bg-slate-800";
export const dangerButtonClass = "inline-flex items-center rounded-lg bg-red-700 px-3 py-1 text-sm font-semibold text-white hover:bg-red-800 disabled:opacity-60";
export const primaryButtonClass = "inline-flex items-center rounded-lg bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-60";
/** A compact input or select of the console's filter forms. */
export const fieldClass =
  "mt-1 block w-full rounded-lg border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 shadow-sm aria-invalid:border-red-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100";
export const labelClass = "block text-sm font-medium";
export const mutedClass = "text-slate-600 dark:text-slate-400";

/** A table's frame: wide tables scroll sideways inside it, never the page. */
export function TableFrame({ children, label }: { children: ReactNode; label?: string }) {
  return (
    // Focusable so that keyboard users can scroll it (axe: scrollable-region-focusable); positioned so
    // that what is absolutely placed inside (sr-only text) scrolls with it, not widening the page.
    <div className="relative -mx-1 overflow-x-auto px-1" tabIndex={0} role="region" aria-label={label ?? "Table"}>
      {children}
    </div>
  );
}

export const tableClass = "w-full min-w-max text-left text-sm";
export const theadRowClass = "border-b border-slate-200 text-xs uppercase tracking-wide text-slate-600 dark:border-slate-700 dark:text-slate-400";
export const thClass = "py-2 pr-4 font-semibold whitespace-nowrap";
export const rowClass = "border-b border-slate-100 align-top last:border-0 dark:border-slate-800";
export const tdClass = "py-2 pr-4";

const TONES = {
  neutral: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100",
  good: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100",
  bad: "bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100",
  warn: "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100",
  info: "bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100",
  demo: "bg-violet-100 text-violet-900 dark:bg-violet-900 dark:text-violet-100",
} as const;
export type Tone = keyof typeof TONES;

export function Badge({ tone = "neutral", children, testId }: { tone?: Tone; children: ReactNode; testId?: string }) {
  return (
    <span data-testid={testId} className={`inline-block rounded px-1.5 py-0.5 align-middle text-xs font-semibold whitespace-nowrap ${TONES[tone]}`}>
      {children}
    </span>
  );
}

export const RUN_STATUS_TONES: Record<string, Tone> = { running: "info", succeeded: "good", failed: "bad", queued: "neutral" };
export const RESOLUTION_TONES: Record<string, Tone> = { dead: "bad", retried: "info", discarded: "neutral" };

/** A page's title and what it is for, with room for actions on the right. */
export function PageHeader({ title, children, actions }: { title: string; children?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-3">
      <div className="min-w-0">
        <h1 className="text-2xl font-bold">{title}</h1>
        {children ? <div className="mt-1 text-sm text-slate-700 dark:text-slate-300">{children}</div> : null}
      </div>
      {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  );
}

/** What a list shows when it has nothing: what would be there, and why it may be empty. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-xl border border-dashed border-slate-300 p-6 text-center dark:border-slate-700">
      <p className="font-semibold">{title}</p>
      {children ? <div className="mt-1 text-sm text-slate-600 dark:text-slate-400">{children}</div> : null}
    </div>
  );
}

/** A notice that input or a page could not be used. */
export function Problem({ children }: { children: ReactNode }) {
  return (
    <div role="alert" className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
      {children}
    </div>
  );
}

/** "← Newest" and "Older →" for a list paged by cursor. */
export function Pager({ first, next, firstLabel = "← Newest", nextLabel = "Older →" }: { first: string | null; next: string | null; firstLabel?: string; nextLabel?: string }) {
  if (!first && !next) return null;
  return (
    <nav aria-label="Pages" className="mt-4 flex justify-between gap-3">
      {first ? (
        <Link href={first as Route} className={buttonClass}>
          {firstLabel}
        </Link>
      ) : (
        <span />
      )}
      {next ? (
        <Link href={next as Route} className={buttonClass} rel="next">
          {nextLabel}
        </Link>
      ) : null}
    </nav>
  );
}

/** A list page's link with its filters (and a cursor): "/admin/runs?state=dead&cursor=…". */
export function listHref(path: string, params: Record<string, string | number | boolean | null | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "" || value === false) continue;
    query.set(key, value === true ? "1" : String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** A figure with its name, for the overview's cards. */
export function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="text-xl font-bold tabular-nums">{value}</dd>
      {hint ? <dd className="text-xs text-slate-600 dark:text-slate-400">{hint}</dd> : null}
    </div>
  );
}

/** A field's messages under it (ids tie them to the input with aria-describedby). */
export function FieldMessages({ id, messages }: { id: string; messages: string[] | undefined }) {
  if (!messages?.length) return null;
  return (
    <span id={id} className="mt-1 block text-xs font-normal text-red-700 dark:text-red-400">
      {messages.join("; ")}
    </span>
  );
}

/** The props tying an input to its messages. */
export function invalidProps(id: string, messages: string[] | undefined) {
  return messages?.length ? { "aria-invalid": true as const, "aria-describedby": id } : {};
}
