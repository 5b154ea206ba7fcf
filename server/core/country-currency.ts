import { countries } from "countries-list";
import { REFERENCE_RATES_PER_EUR } from "@/server/core/money";

// Apart from money.ts so that the browser bundle, which formats money, never loads the country table.
/** The currency a country's travellers pay in, when the app quotes it; else USD. */
export function countryCurrency(countryCode: string): string {
  const currencies = (countries as Record<string, { currency?: string[] }>)[countryCode]?.currency ?? [];
  return currencies.find((c) => c in REFERENCE_RATES_PER_EUR) ?? "USD";
}
