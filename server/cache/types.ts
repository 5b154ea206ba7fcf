/** A key/value cache with expiry. Values are JSON-serialisable. */
export interface Cache {
  readonly name: "memory" | "upstash";
  get<T>(key: string): Promise<T | null>;
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}
