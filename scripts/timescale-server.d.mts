export const DEFAULT_TIMESCALE_URL: string;

export interface TimescaleServer {
  /** null when there is no server and none could be started (`problem` says why). */
  url: string | null;
  /** Stops a server this call started; does nothing otherwise. */
  stop(): void;
  problem: string | null;
}

export function ensureTimescaleServer(env: NodeJS.ProcessEnv, root: string): Promise<TimescaleServer>;
