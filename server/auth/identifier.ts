import { machineHosts } from "@/server/machine-hosts";

/**
 * An email address as sign-in knows it: NFKC, lower case, trimmed, one `@`, a dot in the domain,
 * no quotes, commas or spaces anywhere. Auth.js uses this (the email provider's
 * normalizeIdentifier) and so do the sign-in limits, so that no spelling of one mailbox
 * ("Ann@Example.com", "ａｎｎ@example.com", "ann@example.com,x") gets a bucket of its own. Null
 * for anything else.
 */
export function signInIdentifier(raw: string): string | null {
  const email = raw.normalize("NFKC").toLowerCase().trim();
  if (email.length > 254 || !/^[^\s@",]+@[^\s@",]+\.[^\s@",]+$/.test(email)) return null;
  return email;
}

let ownHosts: Set<string> | undefined;

/**
 * Whether a sign-in link may point at this URL: at AUTH_URL's origin when it is set, else at a
 * name this machine answers to. A link is built from the request's Host (or X-Forwarded-Host),
 * which anyone can write: without this, asking for someone's link with `Host: evil.example` would
 * mail them a genuine link to the asker's site, whose token then signs the asker in as them.
 */
export function linkUrlAllowed(url: string, publicUrl: string | undefined): boolean {
  const link = new URL(url);
  if (publicUrl) return link.origin === new URL(publicUrl).origin;
  ownHosts ??= new Set(machineHosts());
  return ownHosts.has(link.hostname.toLowerCase()) || ownHosts.has(`[${link.hostname}]`);
}
