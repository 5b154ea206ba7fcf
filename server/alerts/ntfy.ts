import { deliver, type DeliveryOptions, type DeliveryOutcome } from "./webhook";

/**
 * Alerts to an ntfy topic (https://docs.ntfy.sh/publish/): a POST of the message as the body to
 * the topic URL, with the title, click URL, priority and tags as headers. Goes through the same
 * SSRF guard and outcome classification as webhooks.
 */

export interface NtfyMessage {
  title: string;
  body: string;
  clickUrl?: string;
  /** ntfy's 1 (min) to 5 (max); 3 is its default. */
  priority?: 1 | 2 | 3 | 4 | 5;
  /** Emoji short codes ("airplane") or labels. */
  tags?: string[];
}

export interface NtfyOptions extends DeliveryOptions {
  /** An ntfy access token, for a protected topic. */
  token?: string;
}

export const NTFY_USER_AGENT = "FlightTracker-Alerts/1";

/** ntfy's default message-size-limit: a longer body becomes an attachment, or is refused. */
export const NTFY_MAX_BODY_BYTES = 4096;

/** Publishes one message to the topic. */
export async function sendNtfy(topicUrl: string, message: NtfyMessage, options: NtfyOptions): Promise<DeliveryOutcome> {
  const headers: Record<string, string> = {
    "content-type": "text/plain; charset=utf-8",
    "user-agent": NTFY_USER_AGENT,
    title: headerText(message.title),
  };
  // new URL().href is ASCII (punycode host, percent-encoded path), so it needs no encoding.
  if (message.clickUrl) headers.click = new URL(message.clickUrl).href;
  // X-Priority rather than Priority: proxies such as Cloudflare set Priority (RFC 9218) themselves, and ntfy then ignores it.
  if (message.priority) headers["x-priority"] = String(message.priority);
  if (message.tags?.length) headers.tags = message.tags.map((tag) => headerText(tag.replace(/,/g, " "))).join(",");
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return deliver(topicUrl, { method: "POST", headers, body: fitBody(message.body) }, options);
}

/**
 * Text as a header value: on one line, and, when not plain ASCII, an RFC 2047 encoded word, which
 * ntfy decodes in any header (Node refuses characters beyond Latin-1 in headers, and Latin-1 would
 * arrive garbled).
 */
export function headerText(text: string): string {
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return /^[\u0020-\u007e]*$/.test(line) ? line : `=?UTF-8?B?${Buffer.from(line, "utf8").toString("base64")}?=`;
}

/** The body cut to ntfy's size limit on a character boundary. */
function fitBody(body: string): string {
  if (Buffer.byteLength(body) <= NTFY_MAX_BODY_BYTES) return body;
  const ellipsis = "…";
  let fitted = Buffer.from(body, "utf8").subarray(0, NTFY_MAX_BODY_BYTES - Buffer.byteLength(ellipsis)).toString("utf8");
  // A character cut in two decodes as U+FFFD: drop it.
  fitted = fitted.replace(/\uFFFD$/, "");
  return fitted + ellipsis;
}
