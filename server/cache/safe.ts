import type { Cache } from "./types";

export interface CacheFailureReport {
  operation: "get" | "set" | "delete";
  error: unknown;
}

/**
 * A cache that cannot fail the caller: any error (down, slow, malformed value) is reported and
 * turns into a miss (get) or a no-op (set, delete). "No cache" is always a correct answer.
 */
export class SafeCache implements Cache {
  failures = 0;

  constructor(
    /** The cache itself, for the health check: it needs the failure this class hides. */
    readonly inner: Cache,
    private readonly onFailure: (report: CacheFailureReport) => void = () => {},
  ) {}

  get name() {
    return this.inner.name;
  }

  async get<T>(key: string): Promise<T | null> {
    try {
      return await this.inner.get<T>(key);
    } catch (error) {
      this.fail("get", error);
      return null;
    }
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    try {
      await this.inner.set(key, value, ttlSeconds);
    } catch (error) {
      this.fail("set", error);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.inner.delete(key);
    } catch (error) {
      this.fail("delete", error);
    }
  }

  private fail(operation: CacheFailureReport["operation"], error: unknown) {
    this.failures++;
    this.onFailure({ operation, error });
  }
}
