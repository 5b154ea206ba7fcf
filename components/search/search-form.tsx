"use client";

import { useRouter } from "next/navigation";
import { useId, useMemo, useState, useTransition, type InputHTMLAttributes, type ReactNode } from "react";
import type { FieldErrors } from "@/server/core/errors";
import { CABINS } from "@/server/core/offer";
import { MAX_PASSENGERS } from "@/server/core/search-query";
import { CABIN_LABELS, formatDate, todayLocal } from "@/components/format";
import { inputClass } from "@/components/forms";
import { AirportCombobox, FieldError } from "./airport-combobox";
import { useClientValue } from "@/components/use-client-value";
import { readRecentSearches, rememberSearch, storedRecentSearches } from "./recent-searches";
import { searchHref } from "@/server/core/links";
import { formParams, parseWebSearch, type SearchFormValues } from "./search-params";

/** Field order, for focusing the first one that is wrong. */
const FIELDS = ["originCode", "destinationCode", "departureDate", "returnDate", "adults", "children", "infants", "cabins"] as const;

interface Props {
  initial: SearchFormValues;
  /** Messages from the server, when it rendered a search URL that does not hold up. */
  initialErrors?: FieldErrors;
  compact?: boolean;
}

/**
 * The search form. Its fields are named as the API's parameters and it submits with GET to
 * /search, so it works before (or without) JavaScript; with it, the same rules run here first
 * and show every problem inline.
 */
export function SearchForm({ initial, initialErrors = {}, compact = false }: Props) {
  const router = useRouter();
  const formId = useId();
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>(initialErrors);
  const [pending, startTransition] = useTransition();
  const today = useClientValue(todayLocal);

  const set = <K extends keyof SearchFormValues>(key: K, value: SearchFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const fieldId = (name: string) => `${formId}-${name}`;

  const submit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const params = formParams(values);
    const parsed = parseWebSearch(params);
    const problems: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    if (!values.originCode) problems.originCode = ["choose an airport or city from the list, or type its 3-letter code"];
    if (!values.destinationCode) problems.destinationCode = ["choose an airport or city from the list, or type its 3-letter code"];
    if (values.roundTrip && !values.returnDate) problems.returnDate = ["is required for a round trip"];
    if (today && values.departureDate && values.departureDate < today) problems.departureDate = ["must not be in the past"];
    setErrors(problems);
    const first = FIELDS.find((f) => problems[f]);
    if (first) {
      const input = document.querySelector<HTMLElement>(`[data-field="${first}"] input, [data-field="${first}"] select`);
      input?.focus();
      return;
    }
    const href = searchHref(params);
    rememberSearch({
      href,
      label: `${values.originCode} → ${values.destinationCode}, ${formatDate(values.departureDate)}${values.roundTrip ? ` – ${formatDate(values.returnDate)}` : ""}`,
      at: new Date().toISOString(),
    });
    startTransition(() => router.push(href));
  };

  /** A labelled input with its messages, wired for assistive technology. */
  const field = (name: (typeof FIELDS)[number], label: ReactNode, input: InputHTMLAttributes<HTMLInputElement>) => (
    <div data-field={name}>
      <label htmlFor={fieldId(name)} className="block text-sm font-medium text-slate-700 dark:text-slate-200">
        {label}
      </label>
      <input
        id={fieldId(name)}
        name={name}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `${fieldId(name)}-error` : undefined}
        className={inputClass}
        {...input}
      />
      <FieldError id={`${fieldId(name)}-error`} messages={errors[name]} />
    </div>
  );

  const count = (name: "adults" | "children" | "infants", label: string, hint: string, min: number) =>
    field(
      name,
      <>
        {label} <span className="font-normal text-slate-600 dark:text-slate-400">{hint}</span>
      </>,
      {
        type: "number",
        inputMode: "numeric",
        min,
        max: MAX_PASSENGERS,
        value: values[name],
        onChange: (e) => set(name, e.target.value === "" ? 0 : Number(e.target.value)),
      },
    );

  const hasErrors = Object.keys(errors).length > 0;
  return (
    <form
      action="/search"
      method="get"
      noValidate
      onSubmit={submit}
      aria-label="Search flights"
      className={`rounded-2xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900 ${compact ? "" : "sm:p-6"}`}
    >
      {hasErrors && (
        <p role="alert" className="mb-4 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          Please fix the {Object.keys(errors).length === 1 ? "field" : `${Object.keys(errors).length} fields`} marked below.
        </p>
      )}
      <noscript>
        {/* Without JavaScript, go straight to the results page that waits for every provider. */}
        <input type="hidden" name="nojs" value="1" />
      </noscript>
      <fieldset className="mb-4 flex gap-4 text-sm">
        <legend className="sr-only">Trip type</legend>
        {[
          [false, "One way"],
          [true, "Round trip"],
        ].map(([round, label]) => (
          <label key={String(round)} className="flex items-center gap-2">
            <input type="radio" name="trip" value={round ? "return" : "oneway"} checked={values.roundTrip === round} onChange={() => set("roundTrip", Boolean(round))} />
            {label as ReactNode}
          </label>
        ))}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <div data-field="originCode">
          <AirportCombobox
            name="originCode"
            label="From"
            placeholder="City, airport or code"
            value={{ code: values.originCode, label: values.originLabel }}
            onChange={(v) => setValues((s) => ({ ...s, originCode: v.code, originLabel: v.label }))}
            error={errors.originCode}
          />
        </div>
        <div data-field="destinationCode">
          <AirportCombobox
            name="destinationCode"
            label="To"
            placeholder="City, airport or code"
            value={{ code: values.destinationCode, label: values.destinationLabel }}
            onChange={(v) => setValues((s) => ({ ...s, destinationCode: v.code, destinationLabel: v.label }))}
            error={errors.destinationCode}
          />
        </div>
        {field("departureDate", "Departure", {
          type: "date",
          min: today,
          value: values.departureDate,
          onChange: (e) => set("departureDate", e.target.value),
        })}
        {field("returnDate", "Return", {
          type: "date",
          min: values.departureDate || today,
          value: values.roundTrip ? values.returnDate : "",
          disabled: !values.roundTrip,
          onChange: (e) => set("returnDate", e.target.value),
          className: `${inputClass} disabled:opacity-50`,
        })}
      </div>
      <div className="mt-4 grid grid-cols-2 gap-4 sm:grid-cols-4">
        {count("adults", "Adults", "12+", 1)}
        {count("children", "Children", "2–11", 0)}
        {count("infants", "Infants", "under 2", 0)}
        <div data-field="cabins">
          <label htmlFor={fieldId("cabins")} className="block text-sm font-medium text-slate-700 dark:text-slate-200">
            Cabin
          </label>
          <select
            id={fieldId("cabins")}
            name="cabins"
            value={values.cabin}
            onChange={(e) => set("cabin", e.target.value as SearchFormValues["cabin"])}
            aria-invalid={errors.cabins ? true : undefined}
            className={inputClass}
          >
            {CABINS.map((c) => (
              <option key={c} value={c}>
                {CABIN_LABELS[c]}
              </option>
            ))}
          </select>
          <FieldError id={`${fieldId("cabins")}-error`} messages={errors.cabins} />
        </div>
      </div>
      <div className="mt-5 flex items-center gap-4">
        <button
          type="submit"
          className="rounded-lg bg-brand-600 px-5 py-2.5 font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-70"
          disabled={pending}
        >
          {pending ? "Searching…" : "Search flights"}
        </button>
        {pending && (
          <span role="status" className="text-sm text-slate-600 dark:text-slate-300">
            Asking the providers…
          </span>
        )}
      </div>
    </form>
  );
}

export function RecentSearches() {
  const stored = useClientValue(storedRecentSearches);
  const recent = useMemo(() => (stored ? readRecentSearches() : []), [stored]);
  if (recent.length === 0) return null;
  return (
    <section aria-labelledby="recent-title" className="mt-8">
      <h2 id="recent-title" className="text-sm font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">
        Recent searches
      </h2>
      <ul className="mt-2 flex flex-wrap gap-2">
        {recent.map((r) => (
          <li key={r.href}>
            <a href={r.href} className="inline-block rounded-full border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
              {r.label}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
