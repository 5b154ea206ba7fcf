/**
 * The development outbox: where sign-in links (and alert emails) go when no SMTP server is configured on an install
 * that may use one (see `emailDelivery`), so that a person who just ran the quick start can sign
 * in. The newest messages, in this process's memory; the link is also written to the log.
 */
export interface OutboxMessage {
  to: string;
  subject: string;
  text: string;
  url: string;
  /** Labelled links (an alert email's); a sign-in email has only `url`. */
  links?: { label: string; url: string }[];
  sentAt: Date;
}

const MAX_MESSAGES = 20;
const holder = globalThis as { __flightTrackerOutbox?: OutboxMessage[] };

export function outboxMessages(): OutboxMessage[] {
  return [...(holder.__flightTrackerOutbox ?? [])];
}

export function putInOutbox(message: OutboxMessage): void {
  const messages = (holder.__flightTrackerOutbox ??= []);
  messages.unshift(message);
  messages.length = Math.min(messages.length, MAX_MESSAGES);
}
