import crypto from "node:crypto";
import { Webhook } from "standardwebhooks";
import { BlockedAddressError, guardedRequest, OutboundNetworkError, OutboundTimeoutError, type GuardedRequestInit, type GuardedResponse, type OutboundPolicy, type ResolveAll } from "@/server/net/ssrf";

/**
 * Webhook delivery as Standard Webhooks describes it (https://www.standardwebhooks.com): a JSON
 * body { type, timestamp, data }, signed with HMAC-SHA256 over "<id>.<attempt time>.<body>" and
 * sent with the webhook-id / webhook-timestamp / webhook-signature headers, through the SSRF
 * guard. One call is one attempt; the caller keeps the message id across retries (receivers use it
 * to drop duplicates) and schedules the next attempt with `nextAttemptDelayMs`.
 */

/** What one attempt came to. `permanent`: retrying this message is pointless; `disable`: the endpoint asked to be removed. */
export type DeliveryOutcome =
  | { ok: true; status: number; durationMs: number }
  | { ok: false; status: number | null; error: string; retryAfterMs: number | null; permanent: boolean; disable: boolean; durationMs: number };

export interface DeliveryOptions {
  policy: OutboundPolicy;
  timeoutMs: number;
  /** A resolver in place of dns.lookup (tests). */
  lookup?: ResolveAll;
}

export interface WebhookMessage {
  /** Stays the same on every attempt of one event. */
  id: string;
  type: string;
  /** When the event happened (the body's timestamp); the signed header carries the attempt's time. */
  timestamp: Date;
  payload: unknown;
}

export const WEBHOOK_USER_AGENT = "FlightTracker-Webhooks/1";

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * The delay before each attempt, the first one immediate: the example schedule of the Standard
 * Webhooks spec ("Deliverability and reliability"), ten attempts over about 75 hours.
 */
export const WEBHOOK_RETRY_SCHEDULE_MS: readonly number[] = [0, 5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 14 * HOUR, 20 * HOUR, 24 * HOUR];

/** A Retry-After longer than this is taken as this: a receiver does not get to park a message for a week. */
export const MAX_RETRY_AFTER_MS = 24 * HOUR;

/** A fresh signing secret in the format Standard Webhooks libraries accept: "whsec_" and 24 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(24).toString("base64")}`;
}

/** Makes one signed delivery attempt of `message` to the endpoint. */
export async function sendWebhook(target: { url: string; secret: string }, message: WebhookMessage, options: DeliveryOptions): Promise<DeliveryOutcome> {
  // The spec: the id is part of the signed content "<id>.<timestamp>.<body>", so it may not hold the delimiter.
  if (message.id.includes(".")) throw new Error(`A webhook id may not contain "." (${message.id})`);
  const body = JSON.stringify({ type: message.type, timestamp: message.timestamp.toISOString(), data: message.payload });
  // The attempt's time, not the event's: receivers refuse a timestamp more than a few minutes off (replay protection).
  const attemptAt = new Date();
  const headers = {
    "content-type": "application/json",
    "user-agent": WEBHOOK_USER_AGENT,
    "webhook-id": message.id,
    "webhook-timestamp": String(Math.floor(attemptAt.getTime() / 1000)),
    "webhook-signature": new Webhook(target.secret).sign(message.id, attemptAt, body),
  };
  return deliver(target.url, { method: "POST", headers, body }, options);
}

/** Sends one request through the SSRF guard and classifies what came of it; shared by every channel that posts to a user's URL. */
export async function deliver(url: string, request: Pick<GuardedRequestInit, "method" | "headers" | "body">, options: DeliveryOptions): Promise<DeliveryOutcome> {
  const started = performance.now();
  try {
    const response = await guardedRequest(url, { ...request, timeoutMs: options.timeoutMs }, options.policy, { lookup: options.lookup });
    return outcomeOfResponse(response);
  } catch (error) {
    return outcomeOfError(error, Math.round(performance.now() - started));
  }
}

/**
 * A response as an outcome, following the spec's status handling: 2xx succeeded; 410 Gone asks
 * for no more deliveries; everything else (3xx included: redirects are not followed) failed and is
 * retried, after Retry-After when a 429 or 503 gives one.
 */
export function outcomeOfResponse(response: GuardedResponse): DeliveryOutcome {
  const { status, durationMs } = response;
  if (status >= 200 && status < 300) return { ok: true, status, durationMs };
  const gone = status === 410;
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(response.headers["retry-after"]) : null;
  return { ok: false, status, error: statusMessage(response), retryAfterMs, permanent: gone, disable: gone, durationMs };
}

/** A failure before any response as an outcome. A refused address is permanent; timeouts and network failures are retried. Anything else is a bug and is rethrown. */
function outcomeOfError(error: unknown, durationMs: number): DeliveryOutcome {
  const failed = { ok: false, status: null, retryAfterMs: null, disable: false, durationMs } as const;
  if (error instanceof BlockedAddressError) return { ...failed, error: `Not sent: ${error.message}`, permanent: true };
  if (error instanceof OutboundTimeoutError) return { ...failed, error: error.message, permanent: false };
  if (error instanceof OutboundNetworkError) return { ...failed, error: `Could not connect: ${error.message}`, permanent: false };
  throw error;
}

function statusMessage(response: GuardedResponse): string {
  const { status } = response;
  const excerpt = response.body.replace(/\s+/g, " ").trim().slice(0, 200);
  const said = excerpt ? `: ${excerpt}` : "";
  if (status === 410) return `The endpoint answered 410 Gone: it asks for no more deliveries${said}`;
  if (status >= 300 && status < 400) return `The endpoint answered ${status}, a redirect, which is not followed: use the URL it points to`;
  return `The endpoint answered ${status}${said}`;
}

/** A Retry-After header (delay in seconds or an HTTP date) in milliseconds from `now`, at most MAX_RETRY_AFTER_MS; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * SECOND, MAX_RETRY_AFTER_MS);
  // Every HTTP date form starts with the weekday; Date.parse alone would take "1.5" or "2030" as dates.
  const at = /^[A-Za-z]{3}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}

/**
 * How long to wait before the next attempt of a message after `attemptsMade` attempts (0: the
 * first, sent at once), or null when the schedule is exhausted. A Retry-After longer than the
 * scheduled delay wins. `scale` shrinks the schedule (tests, the bench), not the Retry-After.
 */
export function nextAttemptDelayMs(attemptsMade: number, retryAfterMs: number | null, scale = 1): number | null {
  if (!Number.isInteger(attemptsMade) || attemptsMade < 0) throw new RangeError(`attemptsMade must be a whole number, not ${attemptsMade}`);
  const delay = WEBHOOK_RETRY_SCHEDULE_MS[attemptsMade];
  if (delay === undefined) return null;
  const scheduled = Math.round(delay * scale);
  return retryAfterMs !== null && retryAfterMs > scheduled ? retryAfterMs : scheduled;
}
