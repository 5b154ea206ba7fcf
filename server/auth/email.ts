import { createTransport } from "nodemailer";
import type { AppConfig } from "@/server/context";
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
  if (delivery === "smtp") {
    // A URL, not an object: an object makes the transport add empty credentials.
    const transport = createTransport(auth.email.server!);
    const sent = await transport.sendMail({ to: link.to, from: auth.email.from, ...message });
    const failed = [...(sent.rejected ?? []), ...(sent.pending ?? [])];
    if (failed.length) throw new Error(`The sign-in email could not be sent to ${failed.length} address(es)`);
    return;
  }
  if (delivery === "outbox") {
    putInOutbox({ to: link.to, subject: message.subject, text: message.text, url: link.url, sentAt: new Date() });
    log.info("sign-in link (development outbox: no EMAIL_SERVER set)", { to: link.to, url: link.url });
    return;
  }
  throw new Error("No email server is configured (EMAIL_SERVER)");
}
