import crypto from "node:crypto";

/**
 * Webhook signing secrets at rest: AES-256-GCM under a key derived (HKDF-SHA256) from the app's
 * secret, so a copy of the database alone does not let anyone sign webhooks as this app. The
 * first key seals; every key opens, so values sealed before AUTH_SECRET was rotated (the old one
 * kept as AUTH_SECRET_1..3) still open.
 */

const VERSION = "v1";
const HKDF_INFO = "flight-tracker webhook secret";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A sealed value that no configured key opens: tampered with, or sealed under a secret no longer configured. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretBoxError";
  }
}

/** Encrypts `plain` under keys[0]: "v1.<iv>.<ciphertext>.<tag>", each part base64url. */
export function seal(plain: string, keys: string[]): string {
  const [key] = keys;
  if (!key) throw new SecretBoxError("No secret to seal with");
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv("aes-256-gcm", deriveKey(key), iv, { authTagLength: TAG_BYTES });
  const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv, ciphertext, cipher.getAuthTag()].map((part) => (typeof part === "string" ? part : part.toString("base64url"))).join(".");
}

/** Decrypts a sealed value with the first key that authenticates it; throws SecretBoxError when none does. */
export function open(sealed: string, keys: string[]): string {
  const { iv, ciphertext, tag } = parse(sealed);
  for (const key of keys) {
    const plain = tryOpen(deriveKey(key), iv, ciphertext, tag);
    if (plain !== null) return plain;
  }
  throw new SecretBoxError("The sealed secret does not open with any configured secret (tampered with, or sealed under a secret no longer configured)");
}

function parse(sealed: string): { iv: Buffer; ciphertext: Buffer; tag: Buffer } {
  const parts = sealed.split(".");
  const [version, iv, ciphertext, tag] = parts;
  if (parts.length !== 4 || version !== VERSION || iv === undefined || ciphertext === undefined || tag === undefined) throw new SecretBoxError("Not a sealed secret");
  const decoded = { iv: Buffer.from(iv, "base64url"), ciphertext: Buffer.from(ciphertext, "base64url"), tag: Buffer.from(tag, "base64url") };
  if (decoded.iv.length !== IV_BYTES || decoded.tag.length !== TAG_BYTES) throw new SecretBoxError("Not a sealed secret");
  return decoded;
}

function tryOpen(key: Buffer, iv: Buffer, ciphertext: Buffer, tag: Buffer): string | null {
  // authTagLength pins the tag to 16 bytes: GCM would otherwise accept a truncated tag.
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

/** The AES key for an app secret; the info string keeps it apart from any other key derived from the same secret. */
function deriveKey(secret: string): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", secret, Buffer.alloc(0), HKDF_INFO, 32));
}
