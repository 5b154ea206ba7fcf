import { createTransport } from "nodemailer";
import type { AppConfig, AppContext } from "@/server/context";
import { isProduction } from "@/server/env";
import { log } from "@/server/log";
import { linkUrlAllowed } from "./identifier";
import { putInOutbox } from "./outbox";

/**
 * How sign-in links reach people: by SMTP when EMAIL_SERVER is set; otherwise through the
 * development outbox (the server log and /dev/outbox) on an install of one machine (the embedded
 * engine: the quick start) or outside production; otherwise not at all, and the sign-in page says
 * what to configure.
 */
export type EmailDelivery = "smtp" | "outbox" | "none";

export function emailDelivery(auth: AppConfig["auth"], options: { embedded: boolean; production: boolean }): EmailDelivery {
  if (auth.email.server) return "smtp";
  return options.embedded || !options.production ? "outbox" : "none";
}

/** How this install sends email (sign-in links, alerts): see emailDelivery. */
export function deliveryFor(ctx: Pick<AppContext, "config" | "database">): EmailDelivery {
  return emailDelivery(ctx.config.auth, { embedded: ctx.database.engine === "embedded", production: isProduction });
}

/** One email by SMTP (EMAIL_SERVER's URL: a URL, not an object, which makes the transport add empty credentials); throws when the server does not take it for every recipient. */
export async function sendMailBySmtp(
  transportUrl: string | undefined,
  mail: { from: string; to: string; subject: string; text: string; html: string; headers?: Record<string, string>; messageId?: string },
  what: string,
): Promise<void> {
  if (!transportUrl) throw new Error("No email server is configured (EMAIL_SERVER)");
  const transport = createTransport(transportUrl);
  try {
    const sent = await transport.sendMail(mail);
    const failed = [...(sent.rejected ?? []), ...(sent.pending ?? [])];
    if (failed.length) throw new Error(`The ${what} could not be sent to ${failed.length} address(es)`);
  } finally {
    transport.close();
  }
}

export interface SignInLink {
  to: string;
  url: string;
  expires: Date;
}

export function signInMessage(link: SignInLink, host: string): { subject: string; text: string; html: string } {
  const subject = `Sign in to Flight Tracker`;
  const minutes = Math.max(1, Math.round((link.expires.getTime() - Date.now()) / 60_000));
  const text = `Sign in to Flight Tracker (${host}):\n\n${link.url}\n\nThe link works once, for ${minutes} minutes. If you did not ask for it, ignore this email.\n`;
  const escaped = link.url.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  const html = `<p>Sign in to Flight Tracker (${host.replace(/</g, "&lt;")}):</p><p><a href="${escaped}">Sign in</a></p><p>The link works once, for ${minutes} minutes. If you did not ask for it, ignore this email.</p>`;
  return { subject, text, html };
}

/** Sends a sign-in link as configured. The link is a secret: it is logged only in outbox mode. */
export async function sendSignInLink(auth: AppConfig["auth"], delivery: EmailDelivery, link: SignInLink): Promise<void> {
  // Not sent, and no error: the asker (who wrote the Host) learns nothing, and Auth.js starts this
  // before it waits on anything else, so a rejection here would go unhandled.
  if (!linkUrlAllowed(link.url, auth.publicUrl)) {
    log.warn("sign-in link not sent: the request named a host this app does not answer to (set AUTH_URL to the app's public URL)", { host: new URL(link.url).host });
    return;
  }
  const message = signInMessage(link, new URL(link.url).host);
  if (delivery === "smtp") return sendMailBySmtp(auth.email.server, { to: link.to, from: auth.email.from, ...message }, "sign-in email");
  if (delivery === "outbox") {
    putInOutbox({ to: link.to, subject: message.subject, text: message.text, url: link.url, sentAt: new Date() });
    log.info("sign-in link (development outbox: no EMAIL_SERVER set)", { to: link.to, url: link.url });
    return;
  }
  throw new Error("No email server is configured (EMAIL_SERVER)");
}
