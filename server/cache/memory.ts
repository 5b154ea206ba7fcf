import type { Cache } from "./types";

interface Entry {
  value: unknown;
  expiresAt: number;
}

/**
 * In-process cache: bounded (least recently used entries leave first) with per-entry expiry.
 * Values are stored as given; callers must not mutate what they put in or get out.
 */
export class MemoryCache implements Cache {
  readonly name = "memory" as const;
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = 2_000,
    private readonly clock: () => number = Date.now,
  ) {}

  async get<T>(key: string): Promise<T | null> {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= this.clock()) {
      this.entries.delete(key);
      return null;
    }
    // Re-insert to mark as recently used (a Map iterates in insertion order).
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value as T;
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.clock() + ttlSeconds * 1000 });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
