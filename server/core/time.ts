/**
 * Wall-clock times in an airport's IANA zone. Flight times are stored as UTC instants; what a
 * traveller reads is the local time at each airport, with its own offset.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function offsetFromIntl(instant: Date, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * Offsets change only at transitions, a few days a year, and then on a quarter hour. So one
 * Intl call at each end of a UTC day tells whether the day has one offset (nearly always); only
 * days with a transition are cached by quarter hour. Asking Intl for every conversion made it
 * most of a search's CPU time.
 */
const DAY_MS = 86_400_000;
const QUARTER_HOUR_MS = 15 * 60_000;
const dayOffsets = new Map<string, number | null>();
const quarterOffsets = new Map<string, number>();

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size > 100_000) cache.clear();
  cache.set(key, value);
  return value;
}

/** Minutes the zone is ahead of UTC at that instant (Europe/London in summer: 60). */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  const ms = instant.getTime();
  const day = Math.floor(ms / DAY_MS);
  const dayKey = `${timeZone}|${day}`;
  let whole = dayOffsets.get(dayKey);
  if (whole === undefined) {
    const start = offsetFromIntl(new Date(day * DAY_MS), timeZone);
    const end = offsetFromIntl(new Date((day + 1) * DAY_MS - 1000), timeZone);
    whole = remember(dayOffsets, dayKey, start === end ? start : null);
  }
  if (whole !== null) return whole;
  const bucket = Math.floor(ms / QUARTER_HOUR_MS);
  const key = `${timeZone}|q${bucket}`;
  return quarterOffsets.get(key) ?? remember(quarterOffsets, key, offsetFromIntl(new Date(bucket * QUARTER_HOUR_MS), timeZone));
}

function wallTime(instant: Date, timeZone: string): WallTime {
  const shifted = new Date(instant.getTime() + zoneOffsetMinutes(instant, timeZone) * 60_000);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
  };
}

/**
 * The instant at which the clocks of `timeZone` show `date` `time` (YYYY-MM-DD, HH:MM). In a
 * spring-forward gap the time is moved on by the gap; in an autumn overlap the earlier instant wins.
 */
export function zonedToUtc(date: string, time: string, timeZone: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [hh, mm] = time.split(":").map(Number) as [number, number];
  const naive = Date.UTC(y, m - 1, d, hh, mm);
  // The offsets in force half a day either side cover any transition near this time.
  const before = naive - zoneOffsetMinutes(new Date(naive - 43_200_000), timeZone) * 60_000;
  const after = naive - zoneOffsetMinutes(new Date(naive + 43_200_000), timeZone) * 60_000;
  const shows = (instant: number) => {
    const w = wallTime(new Date(instant), timeZone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) === naive;
  };
  const valid = [before, after].filter(shows).sort((a, b) => a - b);
  // No valid instant: the time falls in a gap; the offset before it moves it on by the gap.
  return new Date(valid[0] ?? before);
}

/** "2026-12-20T10:30:00+01:00": local wall time with its offset (ISO 8601). */
export function toLocalIso(instant: Date, timeZone: string): string {
  const w = wallTime(instant, timeZone);
  const offset = zoneOffsetMinutes(instant, timeZone);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** The calendar date (YYYY-MM-DD) the zone's clocks show at that instant. */
export function localDate(instant: Date, timeZone: string): string {
  return toLocalIso(instant, timeZone).slice(0, 10);
}

/** Whole days from `from` to `to` (YYYY-MM-DD each). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** 0 = Sunday ... 6 = Saturday, of a calendar date. */
export function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** Midnight UTC `daysBack` days before `now`'s UTC day: where "the last N days" of observations start. */
export function utcDayStart(now: Date, daysBack: number): Date {
  const day = 86_400_000;
  return new Date(Math.floor(now.getTime() / day) * day - daysBack * day);
}

/** Minutes as an ISO 8601 duration: 460 -> "PT7H40M", 480 -> "PT8H", 45 -> "PT45M", 0 -> "PT0M". */
export function isoDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `PT${hours ? `${hours}H` : ""}${rest || !hours ? `${rest}M` : ""}`;
}

/**
 * The earliest date anywhere on Earth at this instant (UTC-12): a departure before it has left
 * everywhere.
 */
export function earliestToday(now: Date): string {
  return addDays(now.toISOString().slice(0, 10), -1);
}
