export interface FreshDatabase {
  name: string;
  /** serverUrl with the new database's name. */
  url: string;
  drop(): Promise<void>;
}

export function createFreshDatabase(serverUrl: string, prefix: string): Promise<FreshDatabase>;

/** Whether a PostgreSQL server answers at `url` (within 3 s). */
export function serverReachable(url: string): Promise<boolean>;
