import { createTransport } from "nodemailer";
import type { EmailDelivery } from "@/server/auth/email";
import { safeMessage, since, urlHost, urlSecrets, type DependencyHealth } from "./dependency";

export interface SmtpHealth extends DependencyHealth {
  /** How email goes out: smtp (EMAIL_SERVER), the development outbox, or not at all. */
  delivery: EmailDelivery;
  /** EMAIL_SERVER's scheme, host and port, without credentials. */
  server: string | null;
  /** When this answer was found (checks are kept for a while: see smtpChecker). */
  checkedAt: string;
}

const NOT_SMTP: Record<Exclude<EmailDelivery, "smtp">, string> = {
  outbox: "No EMAIL_SERVER: sign-in links and alert emails go to the development outbox (/dev/outbox).",
  none: "No EMAIL_SERVER: no email is sent (sign-in by email link and email alerts are unavailable).",
};

/**
 * EMAIL_SERVER answering as the app will use it: a connection, the greeting, EHLO, the login
 * when the URL has credentials, then QUIT. No mail is sent. Every step has `timeoutMs`.
 */
export async function checkSmtp(url: string | undefined, delivery: EmailDelivery, timeoutMs: number): Promise<SmtpHealth> {
  const checkedAt = new Date().toISOString();
  if (delivery !== "smtp" || !url) {
    return { status: "disabled", latencyMs: null, error: null, note: NOT_SMTP[delivery === "smtp" ? "none" : delivery], delivery, server: null, checkedAt };
  }
  const health: SmtpHealth = { status: "down", latencyMs: null, error: null, note: null, delivery, server: urlHost(url), checkedAt };
  const transport = createTransport(withTimeouts(url, timeoutMs));
  const started = performance.now();
  try {
    await transport.verify();
    health.latencyMs = since(started);
    health.status = "ok";
  } catch (error) {
    health.error = safeMessage(error, urlSecrets(url));
  } finally {
    transport.close();
  }
  return health;
}

/**
 * The URL as the app uses it, with every wait bounded: nodemailer takes options from the URL's
 * query (given a `url`, it ignores the options beside it).
 */
function withTimeouts(url: string, timeoutMs: number): string {
  const parsed = new URL(url);
  for (const name of ["connectionTimeout", "greetingTimeout", "socketTimeout"]) parsed.searchParams.set(name, String(timeoutMs));
  return parsed.toString();
}

/**
 * checkSmtp, with each answer kept for `ttlMs`: monitors poll /api/health often, and a mail
 * provider need not see a login every few seconds from every instance. Concurrent callers share
 * one check.
 */
export function smtpChecker(ttlMs: number, clock: () => number = Date.now) {
  let kept: { key: string; at: number; answer: Promise<SmtpHealth> } | null = null;
  return (url: string | undefined, delivery: EmailDelivery, timeoutMs: number): Promise<SmtpHealth> => {
    const key = `${delivery}|${url ?? ""}`;
    if (!kept || kept.key !== key || clock() - kept.at >= ttlMs) {
      kept = { key, at: clock(), answer: checkSmtp(url, delivery, timeoutMs) };
    }
    return kept.answer;
  };
}
