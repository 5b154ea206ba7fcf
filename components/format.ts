/** Display helpers shared by server and client components; no server imports (browser bundle). */

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string, whole: boolean): Intl.NumberFormat {
  const key = `${currency}|${whole}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat("en-GB", { style: "currency", currency, ...(whole ? { maximumFractionDigits: 0 } : {}) });
    moneyFormats.set(key, format);
  }
  return format;
}

/** Decimal places of a currency (ISO 4217 exponent), as Intl knows it. */
export function currencyDigits(currency: string): number {
  return moneyFormat(currency, false).resolvedOptions().maximumFractionDigits ?? 2;
}

export function minorToMajor(amountMinor: number, currency: string): number {
  return amountMinor / 10 ** currencyDigits(currency);
}

/** 45230 GBP -> "£452" (whole) or "£452.30". */
export function formatPrice(amountMinor: number, currency: string, options: { whole?: boolean } = {}): string {
  const whole = options.whole ?? true;
  return moneyFormat(currency, whole).format(whole ? Math.round(minorToMajor(amountMinor, currency)) : minorToMajor(amountMinor, currency));
}

/** 452 GBP -> "£452", 452.3 -> "£452.30": an amount in major units, cents only when it has them. */
export function formatAmount(amount: number, currency: string): string {
  return moneyFormat(currency, Number.isInteger(amount)).format(amount);
}

/** 455 -> "7h 35m" */
export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m}m` : m === 0 ? `${h}h` : `${h}h ${m}m`;
}

/** "2026-12-20T10:30:00+00:00" -> "10:30" (the wall time where it happens). */
export function localClock(localIso: string): string {
  return localIso.slice(11, 16);
}

/** Whole calendar days between two local ISO times' dates: the "+1" on an arrival. */
export function dayOffset(fromLocalIso: string, toLocalIso: string): number {
  return Math.round((Date.parse(toLocalIso.slice(0, 10)) - Date.parse(fromLocalIso.slice(0, 10))) / 86_400_000);
}

/** "2027-01-15" -> "Fri 15 Jan" (dates are calendar dates: formatted in UTC, never shifted). */
export function formatDate(isoDate: string, options: Intl.DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "short" }): string {
  return new Intl.DateTimeFormat("en-GB", { ...options, timeZone: "UTC" }).format(new Date(`${isoDate.slice(0, 10)}T00:00:00Z`));
}

/** "seen 3 min ago" */
export function formatAge(fromIso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(fromIso)) / 1000));
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}

/** "in 3 h", "in 12 min", "any moment" */
export function formatUntil(toIso: string, now: number): string {
  const minutes = Math.round((Date.parse(toIso) - now) / 60_000);
  if (minutes < 1) return "any moment";
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `in ${hours} h` : `in ${Math.round(hours / 24)} d`;
}

export const CABIN_LABELS = { economy: "Economy", premium_economy: "Premium economy", business: "Business", first: "First" } as const;

/** A date as YYYY-MM-DD in the browser's (or server's) local calendar. */
export function todayLocal(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

/** A moment as "23 Nov 2026, 10:15 UTC": the same on the server and in any browser (no hydration mismatch). */
export function formatMoment(at: Date | string): string {
  const date = typeof at === "string" ? new Date(at) : at;
  return `${date.toLocaleString("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "UTC" })} UTC`;
}

/** "Chrome on macOS", from a User-Agent header; "Unknown device" when it says nothing useful. */
export function describeUserAgent(userAgent: string | null | undefined): string {
  if (!userAgent) return "Unknown device";
  const browser = (
    [
      [/Edg\//, "Edge"],
      [/OPR\/|Opera/, "Opera"],
      [/Firefox\//, "Firefox"],
      [/Chrome\/|Chromium\/|CriOS\//, "Chrome"],
      [/Safari\//, "Safari"],
      [/curl\//, "curl"],
    ] as const
  ).find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = (
    [
      [/iPhone|iPad|iOS/, "iOS"],
      [/Android/, "Android"],
      [/Mac OS X|Macintosh/, "macOS"],
      [/Windows/, "Windows"],
      [/CrOS/, "ChromeOS"],
      [/Linux/, "Linux"],
    ] as const
  ).find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? "Unknown device";
}
