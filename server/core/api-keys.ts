import crypto from "node:crypto";

/**
 * API keys for machine clients: `ft_` followed by 43 base64url characters (256 random bits).
 * Only the key's SHA-256 is stored, with its first characters to recognise it by in lists; a key
 * is shown once, when it is made. Plain functions: the database side is db/queries/api-keys.ts.
 */

export const API_KEY_PREFIX = "ft_";
const RANDOM_BYTES = 32;
/** `ft_` and 43 base64url characters. */
const KEY_PATTERN = /^ft_[A-Za-z0-9_-]{43}$/;
/** Characters of the key kept in clear, to tell keys apart: `ft_` and 8 more. */
export const VISIBLE_PREFIX_LENGTH = 11;

/**
 * What a key may be used for. A session may do everything its user may. `admin` (the admin
 * console's REST API and tRPC admin.*) is made only for an admin, and works only while its owner
 * is one: the role is read on every request, so a demoted admin's key is refused at once.
 */
export const API_KEY_SCOPES = ["search", "history", "tracking:read", "tracking:write", "alerts:read", "alerts:write", "admin"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export interface NewApiKey {
  /** The key itself: give it to the user once, keep it nowhere. */
  key: string;
  prefix: string;
  hash: string;
}

export function generateApiKey(random: (size: number) => Buffer = crypto.randomBytes): NewApiKey {
  const key = `${API_KEY_PREFIX}${random(RANDOM_BYTES).toString("base64url")}`;
  return { key, prefix: key.slice(0, VISIBLE_PREFIX_LENGTH), hash: hashApiKey(key) };
}

/** Whether a string has the shape of one of our keys (checked before any lookup). */
export function looksLikeApiKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

/** The stored form: SHA-256, hex. The keys are 256 random bits, so no salt or slow hash is needed. */
export function hashApiKey(key: string): string {
  return crypto.createHash("sha256").update(key, "utf8").digest("hex");
}

/**
 * Whether `key` is the one stored as `hash`, compared in constant time. A lookup by hash finds
 * the row; this check keeps the final comparison free of timing differences all the same.
 */
export function apiKeyMatches(key: string, hash: string): boolean {
  const given = Buffer.from(hashApiKey(key), "hex");
  const stored = Buffer.from(hash, "hex");
  return given.length === stored.length && crypto.timingSafeEqual(given, stored);
}

/** The `Authorization: Bearer <key>` of a request, when it carries one of our keys' shape. */
export function bearerApiKey(authorization: string | null): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match && looksLikeApiKey(match[1]!) ? match[1]! : null;
}

/** Whether a key with `granted` scopes may do what needs `needed`. */
export function hasScope(granted: readonly string[], needed: ApiKeyScope): boolean {
  return granted.includes(needed);
}

/** A key stops working at its expiry or revocation, on the very next request. */
export function apiKeyUsable(key: { expiresAt: Date | null; revokedAt: Date | null }, now: Date): boolean {
  return key.revokedAt === null && (key.expiresAt === null || key.expiresAt.getTime() > now.getTime());
}
