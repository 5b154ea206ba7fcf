import { describeError } from "@/db/migrate";

/**
 * One dependency's state as the health endpoints report it:
 * - ok: answering as it should;
 * - degraded: answering, or partly, and the app serves around it (a slow or flaky provider, a
 *   queue no worker takes jobs from);
 * - down: not answering (the app serves without it where it can: a cache miss, no email);
 * - disabled: not configured, or switched off on purpose (no EMAIL_SERVER, a paused provider).
 */
export type DependencyStatus = "ok" | "degraded" | "down" | "disabled";

export interface DependencyHealth {
  status: DependencyStatus;
  /** How long the check took, in ms; null when it could not run. */
  latencyMs: number | null;
  /** What went wrong, without secrets; null when nothing did. */
  error: string | null;
  /** Why it is disabled, or what an operator should know; null otherwise. */
  note: string | null;
}

/**
 * The time one health answer may take: every check races against the same end, so the
 * endpoint answers within about `ms` however many dependencies hang.
 */
export class Deadline {
  private readonly end: number;

  constructor(
    readonly ms: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.end = now() + ms;
  }

  /** `promise`, or a rejection naming `what` when the deadline passes first. */
  race<T>(promise: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${this.ms} ms`)), Math.max(0, this.end - this.now()));
    });
    // A check that loses the race may still settle later: nobody is waiting for it then.
    promise.catch(() => {});
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  /** Milliseconds left, at least `floor`. */
  remaining(floor = 0): number {
    return Math.max(floor, Math.round(this.end - this.now()));
  }
}

/** Milliseconds since `started` (performance.now()), to a tenth. */
export function since(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

/**
 * An error's message with every secret given replaced, and the password of any URL in it
 * hidden: health answers are read by whoever can reach them.
 */
export function safeMessage(error: unknown, secrets: (string | null | undefined)[] = []): string {
  let text = describeError(error);
  for (const secret of secrets) {
    if (secret && secret.length >= 3) text = text.split(secret).join("***");
  }
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@/]*@/gi, "$1:***@");
}

/** The secrets inside a URL (its password and user name), for safeMessage. */
export function urlSecrets(url: string | null | undefined): string[] {
  if (!url || !URL.canParse(url)) return [];
  const parsed = new URL(url);
  return [decodeURIComponent(parsed.password), parsed.password, decodeURIComponent(parsed.username), parsed.username].filter(Boolean);
}

/** Where a URL points, safe to show: scheme, host and port, no credentials or path. */
export function urlHost(url: string | null | undefined): string | null {
  if (!url || !URL.canParse(url)) return null;
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
}
