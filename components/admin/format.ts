/** The admin console's figures in words (server and client components; no server imports). */

const counts = new Intl.NumberFormat("en-GB");

/** 12345 -> "12,345" */
export function formatCount(n: number): string {
  return counts.format(n);
}

/** 850 -> "850 ms", 2300 -> "2.3 s", 250000 -> "4 min", 7500000 -> "2 h 5 min"; null -> "–". */
export function formatMs(ms: number | null | undefined): string {
  if (ms == null) return "–";
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1_000).toFixed(1))} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${Math.round(hours / 24)} d`;
}

/** 0.125 -> "12.5%", 0 -> "0%" */
export function formatRate(rate: number): string {
  return `${Number((rate * 100).toFixed(rate < 0.1 ? 1 : 0))}%`;
}

/** An instant as "10:15:03 UTC": the same on the server and in any browser. */
export function formatClock(at: string | Date): string {
  return `${new Date(at).toISOString().slice(11, 19)} UTC`;
}

/** An hour's start as "10:00" (UTC). */
export function formatHour(at: string): string {
  return new Date(at).toISOString().slice(11, 16);
}

/** A duration in whole words for "overdue by": "4 min", "2 h 5 min", or "not due" for 0. */
export function formatOverdue(ms: number): string {
  return ms <= 0 ? "not due" : formatMs(ms);
}

export const FAILURE_KIND_WORDS: Record<string, string> = { error: "Error", timeout: "Timeout", circuit_open: "Circuit open", write: "Write failed" };

export const BREAKER_WORDS: Record<string, string> = { closed: "closed", open: "open", half_open: "half-open" };

/** A compact one-line JSON of an audit event's detail ("{}" for none). */
export function compactJson(value: unknown): string {
  return JSON.stringify(value ?? {});
}

/** A moment as "23 Nov 18:10" (UTC, said in the column's heading), for wide tables. */
export function formatShortMoment(at: string | Date): string {
  const date = new Date(at);
  const day = date.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
  return `${day} ${date.toISOString().slice(11, 16)}`;
}
