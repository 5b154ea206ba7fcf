import crypto from "node:crypto";

/**
 * One-click unsubscribe tokens for alert emails: who (the user) stops alerts for what (one of
 * their tracked routes), signed with the app's secret so that nobody can unsubscribe anyone else.
 * They carry no expiry on purpose: the link in an email from last year must still work, and what
 * it grants (silencing one route's alerts for its owner) is harmless to replay. Rotating the
 * secret out of `authSecrets` is what revokes them.
 *
 * Format: `v1.<payload>.<mac>`, the payload the base64url of `[userId, trackedRouteId]` as JSON,
 * the MAC an HMAC-SHA256 in base64url over a purpose label, the version and the payload (the
 * label keeps a MAC made for another purpose with the same secret from passing as one of these).
 */

export interface UnsubscribeClaim {
  userId: string;
  trackedRouteId: string;
}

const VERSION = "v1";
const PURPOSE = "flight-tracker:alert-unsubscribe";
/** Longer than any honest token (two uuids make ~150 characters); bounds the work on junk. */
const MAX_TOKEN_LENGTH = 1024;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The MAC of a payload under one secret, in base64url. */
function mac(secret: string, payload: string): string {
  return crypto.createHmac("sha256", secret).update(`${PURPOSE}\n${VERSION}.${payload}`).digest("base64url");
}

/** A signed token for the claim. Throws on an empty secret or id (an empty key signs nothing). */
export function unsubscribeToken(secret: string, claim: UnsubscribeClaim): string {
  if (!secret) throw new Error("An unsubscribe token needs a secret");
  if (!claim.userId || !claim.trackedRouteId) throw new Error("An unsubscribe token needs a user and a tracked route");
  const payload = Buffer.from(JSON.stringify([claim.userId, claim.trackedRouteId])).toString("base64url");
  return `${VERSION}.${payload}.${mac(secret, payload)}`;
}

/**
 * Whether `signature` is the MAC of the payload under any of the secrets, each compared in
 * constant time. Compared as text, not decoded: base64url decoding ignores stray low bits, and
 * only the one canonical spelling of a MAC should pass.
 */
function signedByAny(payload: string, signature: string, secrets: string[]): boolean {
  const given = Buffer.from(signature);
  let valid = false;
  // Every secret is tried (no early return): the time taken says nothing about which one matched.
  for (const secret of secrets) {
    if (!secret) continue;
    const expected = Buffer.from(mac(secret, payload));
    if (expected.length === given.length && crypto.timingSafeEqual(expected, given)) valid = true;
  }
  return valid;
}

/** The claim in a payload, or null when it is not two non-empty strings. */
function parseClaim(payload: string): UnsubscribeClaim | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [userId, trackedRouteId] = value as unknown[];
    if (typeof userId !== "string" || typeof trackedRouteId !== "string" || !userId || !trackedRouteId) return null;
    return { userId, trackedRouteId };
  } catch {
    return null;
  }
}

/**
 * The claim of a token signed with any of `secrets` (the current one and those still accepted),
 * or null for anything else: malformed, another version, a wrong MAC, no secrets.
 */
export function readUnsubscribeToken(token: string, secrets: string[]): UnsubscribeClaim | null {
  if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) return null;
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [version, payload, signature] = parts as [string, string, string];
  if (version !== VERSION || !BASE64URL.test(payload) || !BASE64URL.test(signature)) return null;
  if (!signedByAny(payload, signature, secrets)) return null;
  return parseClaim(payload);
}
