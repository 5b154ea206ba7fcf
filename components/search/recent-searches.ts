/** The last searches, kept in this browser only (localStorage). */
export interface RecentSearch {
  href: string;
  label: string;
  at: string;
}

const KEY = "flight-tracker:recent-searches";
const KEEP = 6;

/** The raw stored list: a stable snapshot for useSyncExternalStore. */
export function storedRecentSearches(): string | null {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function readRecentSearches(): RecentSearch[] {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(KEY) ?? "[]");
    return Array.isArray(parsed) ? (parsed as RecentSearch[]).filter((r) => typeof r?.href === "string" && r.href.startsWith("/search?")) : [];
  } catch {
    return [];
  }
}

export function rememberSearch(search: RecentSearch): void {
  try {
    const rest = readRecentSearches().filter((r) => r.href !== search.href);
    window.localStorage.setItem(KEY, JSON.stringify([search, ...rest].slice(0, KEEP)));
  } catch {
    // Private mode or a full quota: recent searches are a convenience.
  }
}
