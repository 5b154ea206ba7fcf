import { formatDate, formatPrice } from "@/components/format";
import { sendMailBySmtp, type EmailDelivery } from "@/server/auth/email";
import { putInOutbox } from "@/server/auth/outbox";
import type { AlertRuleKind, PriceLevel } from "@/server/core/alert-rules";
import { log } from "@/server/log";

/**
 * Price alert emails: one per alert, or a daily digest of every change, each in plain text and
 * in simple inline-styled HTML, with RFC 8058 one-click unsubscribe headers; and their delivery
 * the way sign-in links go (SMTP, the development outbox, or nowhere).
 */

/** One alert as the email shows it; every URL absolute. */
export interface AlertEmailItem {
  /** e.g. "London Heathrow (LHR) → New York JFK (JFK)" */
  routeLabel: string;
  departureDate: string;
  returnDate: string | null;
  /** The route is tracked over flexible dates: the dates are the cheapest found, and the email says so. */
  flexible: boolean;
  kind: AlertRuleKind;
  priceMinor: number;
  /** The price at the check before. */
  previousPriceMinor: number | null;
  /** What the rule compared with (AlertMessage.referenceMinor): the target, the price it fell from, the low it beat. */
  referenceMinor: number | null;
  currency: string;
  level: PriceLevel | null;
  /** From the simulated market: always labelled so. */
  simulated: boolean;
  resultsUrl: string;
  routeUrl: string;
  trackedUrl: string;
  /** One-click unsubscribe from this route's alerts (a token from `unsubscribeToken`). */
  unsubscribeUrl: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  /** The email's links with their labels (the development outbox lists them). */
  links?: { label: string; url: string }[];
}

const DEFAULT_APP_NAME = "Flight Tracker";

const HEADLINES: Record<AlertRuleKind, string> = {
  below_target: "Below your target",
  drop: "Price drop",
  new_low: "New low",
  insight_low: "Prices are low",
};

const LEVELS: Record<PriceLevel, string> = {
  low: "low (cheaper than usual)",
  typical: "typical",
  high: "high (dearer than usual)",
};

const SIMULATED_NOTE = "Simulated price: from the built-in simulated market, not a real fare; it cannot be booked.";

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** A link target for HTML: only http(s), escaped; anything else goes nowhere. */
function href(url: string): string {
  return /^https?:\/\//i.test(url) ? escapeHtml(url) : "#";
}

/** £412, in whole units; with pennies when whole units would make two different prices look the same. */
function money(amountMinor: number, currency: string, other?: number | null): string {
  const whole = formatPrice(amountMinor, currency);
  if (other == null || other === amountMinor || formatPrice(other, currency) !== whole) return whole;
  return formatPrice(amountMinor, currency, { whole: false });
}

/** "LHR → JFK" from a label ending in airport codes in brackets, else the whole label. */
function shortRoute(label: string): string {
  const codes = /\(([A-Z0-9]{3})\)\s*→.*\(([A-Z0-9]{3})\)\s*$/.exec(label);
  return codes ? `${codes[1]} → ${codes[2]}` : label;
}

/** "Fri 12 Mar 2027 – Fri 19 Mar 2027", or "…, one way"; a flexible route says these are the cheapest dates found. */
function describeDates(item: AlertEmailItem): string {
  const options: Intl.DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "short", year: "numeric" };
  const dates = item.returnDate
    ? `${formatDate(item.departureDate, options)} – ${formatDate(item.returnDate, options)}`
    : `${formatDate(item.departureDate, options)}, one way`;
  return item.flexible ? `${dates} (the cheapest dates in your flexible search)` : dates;
}

/** "now £412 (was £480)" */
function priceNow(item: AlertEmailItem): string {
  const now = `now ${money(item.priceMinor, item.currency, item.previousPriceMinor)}`;
  return item.previousPriceMinor === null ? now : `${now} (was ${money(item.previousPriceMinor, item.currency, item.priceMinor)})`;
}

/** What made the rule fire, as a sentence. */
function trigger(item: AlertEmailItem): string {
  const { referenceMinor: reference, currency } = item;
  switch (item.kind) {
    case "below_target":
      return reference === null ? "It is at or below your target." : `It is at or below your target of ${money(reference, currency)}.`;
    case "drop": {
      if (reference === null || reference <= item.priceMinor) return "The price has dropped.";
      const fall = reference - item.priceMinor;
      const percent = Math.round((fall / reference) * 100);
      const share = percent > 0 ? `${percent}% (${money(fall, currency)})` : money(fall, currency, reference);
      return `It is down ${share} since it was ${money(reference, currency, item.priceMinor)}.`;
    }
    case "new_low":
      return reference === null ? "It is a new low." : `It is a new low: the lowest price seen before was ${money(reference, currency, item.priceMinor)}.`;
    case "insight_low":
      return "Prices are low now: this is at the cheap end of what this trip usually costs.";
  }
}

/** The facts of one alert, one line each (shared by the plain-text and HTML bodies). */
function facts(item: AlertEmailItem): string[] {
  const lines = [`Dates: ${describeDates(item)}`, `Price: ${priceNow(item)}`, trigger(item)];
  if (item.level) lines.push(`Compared with the usual price for this trip: ${LEVELS[item.level]}.`);
  return lines;
}

/** The links of one alert, label and URL. */
function links(item: AlertEmailItem): [string, string][] {
  return [
    ["See the flights", item.resultsUrl],
    ["Price history of this route", item.routeUrl],
    ["Your tracked routes", item.trackedUrl],
  ];
}

/** "Price drop: LHR → JFK on 12 Mar, now £412 (was £480)", marked when simulated. */
function alertSubject(item: AlertEmailItem): string {
  const subject = `${HEADLINES[item.kind]}: ${shortRoute(item.routeLabel)} on ${formatDate(item.departureDate, { day: "numeric", month: "short" })}, ${priceNow(item)}`;
  return item.simulated ? `[Simulated] ${subject}` : subject;
}

/** One alert in plain text, ending with its own unsubscribe link. */
function itemText(item: AlertEmailItem): string {
  return [
    `${HEADLINES[item.kind]}: ${item.routeLabel}`,
    ...(item.simulated ? [SIMULATED_NOTE] : []),
    "",
    ...facts(item),
    "",
    ...itemLinks(item).map(({ label, url }) => `${label}: ${url}`),
  ].join("\n");
}

const STYLE = {
  body: "font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1e293b;max-width:600px;margin:0 auto;padding:16px",
  item: "border:1px solid #cbd5e1;border-radius:8px;padding:12px 16px;margin:12px 0",
  heading: "font-size:17px;font-weight:bold;margin:0 0 8px",
  simulated: "display:inline-block;background:#fef3c7;color:#78350f;border:1px solid #f59e0b;border-radius:4px;padding:2px 6px;margin:0 0 8px;font-size:13px",
  price: "font-size:20px;font-weight:bold;margin:4px 0",
  p: "margin:4px 0",
  link: "color:#1d4ed8",
  small: "font-size:13px;color:#475569;margin:12px 0 0",
};

/** An anchor with the link style. */
function anchor(label: string, url: string): string {
  return `<a href="${href(url)}" style="${STYLE.link}">${escapeHtml(label)}</a>`;
}

/** One alert as an HTML block, ending with its own unsubscribe link. */
function itemHtml(item: AlertEmailItem): string {
  const [dates, price, ...rest] = facts(item);
  return [
    `<div style="${STYLE.item}">`,
    `<p style="${STYLE.heading}">${escapeHtml(`${HEADLINES[item.kind]}: ${item.routeLabel}`)}</p>`,
    item.simulated ? `<p style="${STYLE.simulated}">${escapeHtml(SIMULATED_NOTE)}</p>` : "",
    `<p style="${STYLE.price}">${escapeHtml(price!)}</p>`,
    `<p style="${STYLE.p}">${escapeHtml(dates!)}</p>`,
    ...rest.map((line) => `<p style="${STYLE.p}">${escapeHtml(line)}</p>`),
    `<p style="${STYLE.p}">${links(item)
      .map(([label, url]) => anchor(label, url))
      .join(" · ")}</p>`,
    `<p style="${STYLE.small}">${anchor("Stop alerts for this route", item.unsubscribeUrl)}</p>`,
    `</div>`,
  ].join("\n");
}

/** A whole HTML document around already-escaped blocks. */
function htmlDocument(title: string, blocks: string[], footer: string): string {
  return [
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    `<body style="${STYLE.body}">`,
    ...blocks,
    `<p style="${STYLE.small}">${footer}</p>`,
    `</body></html>`,
  ].join("\n");
}

/**
 * One alert's email. The headers make the unsubscribe link one-click (RFC 8058: a POST to it
 * unsubscribes, without sign-in) and mark the email as automatic (RFC 3834) so that
 * out-of-office replies stay away.
 */
export function renderAlertEmail(item: AlertEmailItem, options: { appName?: string } = {}): RenderedEmail {
  const appName = options.appName ?? DEFAULT_APP_NAME;
  const subject = alertSubject(item);
  const why = `You get this email because you track this route on ${appName}.`;
  return {
    subject,
    text: `${itemText(item)}\n\n${why}\n`,
    html: htmlDocument(subject, [itemHtml(item)], escapeHtml(why)),
    headers: {
      "List-Unsubscribe": `<${item.unsubscribeUrl}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      "Auto-Submitted": "auto-generated",
    },
    links: itemLinks(item),
  };
}

/** One alert's links, labelled as in its text. */
function itemLinks(item: AlertEmailItem): { label: string; url: string }[] {
  return [...links(item).map(([label, url]) => ({ label, url })), { label: "Stop alerts for this route", url: item.unsubscribeUrl }];
}

/**
 * The day's digest: every change in one email ("Flight Tracker: 3 price changes on 12 Mar"),
 * each item with its own one-click unsubscribe link. The digest's List-Unsubscribe is the page
 * that manages alerts, and without List-Unsubscribe-Post: one click must not silence every route
 * at once (a token names one route), and RFC 8058 allows that header only on a URL that
 * unsubscribes on a POST, which a settings page does not.
 */
export function renderDigestEmail(items: AlertEmailItem[], options: { appName?: string; date: string; manageUrl: string }): RenderedEmail {
  if (items.length === 0) throw new RangeError("A digest needs at least one alert");
  const appName = options.appName ?? DEFAULT_APP_NAME;
  const subject = `${appName}: ${items.length} price ${items.length === 1 ? "change" : "changes"} on ${formatDate(options.date, { day: "numeric", month: "short" })}`;
  const why = `You get this email because you track these routes on ${appName}.`;
  const manage = "Manage your alerts";
  return {
    subject,
    text: `${subject}\n\n${items.map(itemText).join("\n\n---\n\n")}\n\n${why}\n${manage}: ${options.manageUrl}\n`,
    html: htmlDocument(subject, [`<p style="${STYLE.heading}">${escapeHtml(subject)}</p>`, ...items.map(itemHtml)], `${escapeHtml(why)} ${anchor(manage, options.manageUrl)}`),
    headers: { "List-Unsubscribe": `<${options.manageUrl}>`, "Auto-Submitted": "auto-generated" },
    links: [...items.flatMap(itemLinks), { label: manage, url: options.manageUrl }],
  };
}

export interface OutgoingEmail extends RenderedEmail {
  to: string;
  /** The Message-ID (with or without angle brackets): a retried send carries the same one, so receivers can drop the copy. */
  messageId?: string;
  /** The link the development outbox shows; by default the first link in the text (the results page). */
  url?: string;
}

/**
 * Sends an email as configured: by SMTP (`transportUrl`, EMAIL_SERVER's URL), throwing when the
 * server refuses it; into the development outbox and the log; or, with no delivery, throws.
 */
export async function sendEmail(transportUrl: string | undefined, from: string, message: OutgoingEmail, deliveryMode: EmailDelivery): Promise<void> {
  if (deliveryMode === "smtp") {
    const { to, subject, text, html, headers, messageId } = message;
    return sendMailBySmtp(transportUrl, { from, to, subject, text, html, headers, ...(messageId ? { messageId } : {}) }, "alert email");
  }
  if (deliveryMode === "outbox") {
    const url = message.url ?? /https?:\/\/\S+/.exec(message.text)?.[0] ?? "";
    putInOutbox({ to: message.to, subject: message.subject, text: message.text, url, links: message.links, sentAt: new Date() });
    log.info("alert email (development outbox: no EMAIL_SERVER set)", { to: message.to, subject: message.subject, url });
    return;
  }
  throw new Error("No email server is configured (EMAIL_SERVER)");
}

/** One message through a transport made from the URL (an object would make it add empty credentials). */
