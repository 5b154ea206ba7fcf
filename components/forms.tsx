import type { ReactNode } from "react";

/** A text input or select of the app's forms (red border when aria-invalid). */
export const inputClass =
  "mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 shadow-sm aria-invalid:border-red-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100";

/** What went wrong with a form, read out as it appears. */
export function FormAlert({ id, className = "", children }: { id?: string; className?: string; children: ReactNode }) {
  return (
    <p id={id} role="alert" className={`text-sm text-red-700 dark:text-red-400 ${className}`.trim()}>
      {children}
    </p>
  );
}
