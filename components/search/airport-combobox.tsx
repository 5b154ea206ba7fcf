"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { placeName } from "@/server/core/text";

export interface PlaceValue {
  code: string;
  label: string;
}

interface Props {
  /** Field name: it is also the URL parameter, so the form works without JavaScript. */
  name: "originCode" | "destinationCode";
  label: string;
  value: PlaceValue;
  onChange: (value: PlaceValue) => void;
  error?: string[];
  placeholder?: string;
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * An airport field following the WAI-ARIA combobox pattern: type a code, city, airport name or
 * country; arrow keys move through the suggestions, Enter picks, Escape closes. A typed
 * three-letter code is taken as is, so picking from the list is never required.
 */
export function AirportCombobox({ name, label, value, onChange, error, placeholder }: Props) {
  const trpc = useTRPC();
  const id = useId();
  const listId = `${id}-list`;
  const errorId = `${id}-error`;
  const [text, setText] = useState(value.label || value.code);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  // The label of the place last picked: no need to look it up again.
  const [picked, setPicked] = useState(value.label);
  const inputRef = useRef<HTMLInputElement>(null);
  const query = useDebounced(text.trim(), 120);
  const suggestions = useQuery({
    ...trpc.airport.search.queryOptions({ query: query.slice(0, 64), limit: 8 }),
    enabled: open && query.length > 0 && query !== picked,
    placeholderData: keepPreviousData,
    staleTime: 60 * 60 * 1000,
  });
  const places = open && query.length > 0 ? (suggestions.data ?? []) : [];

  // A new value from outside (a swap, a reset) replaces the text; React's pattern for
  // state derived from props, without an effect.
  const [shownValue, setShownValue] = useState(value);
  if (shownValue.code !== value.code || shownValue.label !== value.label) {
    setShownValue(value);
    setText(value.label || value.code);
  }

  const choose = (index: number) => {
    const place = places[index];
    if (!place) return;
    const next = { code: place.code, label: `${placeName(place)} (${place.code})` };
    setText(next.label);
    setPicked(next.label);
    setOpen(false);
    setActive(-1);
    onChange(next);
  };

  const typed = (next: string) => {
    setText(next);
    setOpen(true);
    setActive(-1);
    // A bare code counts at once; anything else waits for a pick.
    const code = /^\s*([A-Za-z]{3})\s*$/.exec(next)?.[1]?.toUpperCase() ?? /\(([A-Z]{3})\)\s*$/.exec(next)?.[1] ?? "";
    onChange({ code, label: code && next.trim().length === 3 ? code : next });
  };

  return (
    <div className="relative">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700 dark:text-slate-200">
        {label}
      </label>
      <input
        ref={inputRef}
        id={id}
        name={name}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={places.length > 0}
        aria-controls={listId}
        aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        placeholder={placeholder}
        value={text}
        onChange={(e) => typed(e.target.value)}
        onFocus={() => text && setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 120)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setOpen(true);
            setActive((i) => Math.min(places.length - 1, i + 1));
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            setActive((i) => Math.max(0, i - 1));
          } else if (e.key === "Enter" && open && places.length > 0) {
            e.preventDefault();
            choose(active >= 0 ? active : 0);
          } else if (e.key === "Escape") {
            setOpen(false);
            setActive(-1);
          }
        }}
        className="mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 shadow-sm placeholder:text-slate-500 aria-invalid:border-red-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100 dark:placeholder:text-slate-400"
      />
      <ul
        id={listId}
        role="listbox"
        aria-label={`${label} suggestions`}
        hidden={places.length === 0}
        className="absolute z-20 mt-1 max-h-80 w-full overflow-auto rounded-lg border border-slate-200 bg-white py-1 shadow-lg dark:border-slate-700 dark:bg-slate-900"
      >
        {places.map((place, index) => (
          <li
            key={place.code}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            onMouseDown={(e) => {
              e.preventDefault();
              choose(index);
            }}
            className={`flex cursor-pointer items-baseline justify-between gap-3 px-3 py-2 text-sm ${index === active ? "bg-brand-100 dark:bg-slate-700" : ""}`}
          >
            <span>
              <span className="font-medium">{place.kind === "metro" ? `${place.city ?? place.name} — all airports` : place.name}</span>
              <span className="block text-xs text-slate-600 dark:text-slate-400">
                {place.kind === "metro" ? place.airports.slice(0, 5).join(", ") : [place.city, place.countryName].filter(Boolean).join(", ")}
              </span>
            </span>
            <span className="font-mono text-sm font-semibold">{place.code}</span>
          </li>
        ))}
      </ul>
      <FieldError id={errorId} messages={error} />
    </div>
  );
}

export function FieldError({ id, messages }: { id: string; messages?: string[] }) {
  if (!messages?.length) return null;
  return (
    <p id={id} className="mt-1 text-sm text-red-700 dark:text-red-400">
      {messages.map((m) => m.charAt(0).toUpperCase() + m.slice(1)).join(". ")}
    </p>
  );
}
