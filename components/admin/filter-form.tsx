import type { Route } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import type { FieldErrors } from "@/server/core/errors";
import { buttonClass, fieldClass, FieldMessages, invalidProps, labelClass, primaryButtonClass } from "./ui";

/**
 * A list's filters: a GET form (it works without JavaScript, and the address keeps the filters
 * for a bookmark or a colleague), each field with its messages when the input did not hold up.
 */
export function FilterForm({ action, label, children, clearHref }: { action: string; label: string; children: ReactNode; clearHref?: string }) {
  return (
    <form method="get" action={action} aria-label={label} className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4" noValidate>
      {children}
      <div className="col-span-2 flex flex-wrap items-end gap-2 sm:col-span-3 lg:col-span-4">
        <button type="submit" className={primaryButtonClass}>
          Apply filters
        </button>
        {clearHref ? (
          <Link href={clearHref as Route} className={buttonClass}>
            Clear
          </Link>
        ) : null}
      </div>
    </form>
  );
}

const fieldId = (name: string) => `filter-${name}-error`;

export function TextFilter({
  name,
  label,
  value,
  errors,
  type = "text",
  placeholder,
  maxLength,
  hint,
  wide,
}: {
  name: string;
  label: string;
  value: string | undefined;
  errors: FieldErrors | null;
  type?: "text" | "search" | "email" | "datetime-local";
  placeholder?: string;
  maxLength?: number;
  hint?: string;
  wide?: boolean;
}) {
  const messages = errors?.[name];
  return (
    <label className={`${labelClass} min-w-0 ${wide ? "col-span-2" : ""}`}>
      {label}
      {hint ? <span className="font-normal text-slate-600 dark:text-slate-400"> {hint}</span> : null}
      <input name={name} type={type} defaultValue={value ?? ""} placeholder={placeholder} maxLength={maxLength} className={fieldClass} {...invalidProps(fieldId(name), messages)} />
      <FieldMessages id={fieldId(name)} messages={messages} />
    </label>
  );
}

export function SelectFilter({
  name,
  label,
  value,
  errors,
  options,
  anyLabel = "Any",
}: {
  name: string;
  label: string;
  value: string | undefined;
  errors: FieldErrors | null;
  options: readonly (readonly [string, string])[];
  anyLabel?: string;
}) {
  const messages = errors?.[name];
  // A value the list does not offer (typed into the address) stays shown, with its message.
  const all = value && !options.some(([v]) => v === value) ? [...options, [value, value] as const] : options;
  return (
    <label className={`${labelClass} min-w-0`}>
      {label}
      <select name={name} defaultValue={value ?? ""} className={fieldClass} {...invalidProps(fieldId(name), messages)}>
        <option value="">{anyLabel}</option>
        {all.map(([v, words]) => (
          <option key={v} value={v}>
            {words}
          </option>
        ))}
      </select>
      <FieldMessages id={fieldId(name)} messages={messages} />
    </label>
  );
}

/** The strings of a page's query, trimmed, without empty ones. */
export function queryStrings(params: Record<string, string | string[] | undefined>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = params[name];
    const text = (Array.isArray(value) ? value[0] : value)?.trim();
    if (text) out[name] = text;
  }
  return out;
}

/**
 * A time a filter form sent, as the inputs take it: a datetime-local input sends
 * "2026-11-23T10:00" without a zone, which the console reads as UTC (as it shows times); a bare
 * date is its midnight (UTC); anything else is left for the input's validation to judge.
 */
export function utcInstant(text: string | undefined): string | undefined {
  if (!text) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return `${text}T00:00:00Z`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) return `${text}Z`;
  return text;
}

/** What a datetime-local input shows for a time given in the address ("" when it is not one). */
export function localInputValue(text: string | undefined): string | undefined {
  const instant = utcInstant(text);
  if (!instant) return undefined;
  const at = new Date(instant);
  return Number.isNaN(at.getTime()) ? text : at.toISOString().slice(0, 16);
}
