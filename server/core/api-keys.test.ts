import { describe, expect, it } from "vitest";
import { apiKeyMatches, apiKeyUsable, bearerApiKey, generateApiKey, hashApiKey, hasScope, looksLikeApiKey, VISIBLE_PREFIX_LENGTH } from "./api-keys";

describe("API keys", () => {
  it("are ft_ and 256 random bits in base64url, kept as a SHA-256 with a short visible prefix", () => {
    const { key, prefix, hash } = generateApiKey();
    expect(key).toMatch(/^ft_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.slice(3), "base64url")).toHaveLength(32);
    expect(prefix).toBe(key.slice(0, VISIBLE_PREFIX_LENGTH));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashApiKey(key));
    expect(hash).not.toContain(key.slice(3, 20));
    // Two keys never collide, and each comes from the random source given.
    expect(generateApiKey().key).not.toBe(key);
    expect(generateApiKey((n) => Buffer.alloc(n, 0)).key).toBe(`ft_${"A".repeat(43)}`);
  });

  it("match only their own hash, in constant time", () => {
    const { key, hash } = generateApiKey();
    const other = generateApiKey();
    expect(apiKeyMatches(key, hash)).toBe(true);
    expect(apiKeyMatches(other.key, hash)).toBe(false);
    expect(apiKeyMatches(key, "")).toBe(false);
    expect(apiKeyMatches(key, "abcd")).toBe(false);
  });

  it("are read from a Bearer header only when they have the shape of a key", () => {
    const { key } = generateApiKey();
    expect(bearerApiKey(`Bearer ${key}`)).toBe(key);
    expect(bearerApiKey(`bearer   ${key} `)).toBe(key);
    expect(bearerApiKey(null)).toBeNull();
    expect(bearerApiKey(`Basic ${key}`)).toBeNull();
    expect(bearerApiKey("Bearer ft_short")).toBeNull();
    expect(bearerApiKey(`Bearer ${key}x`)).toBeNull();
    expect(looksLikeApiKey(`${key}\u0000`)).toBe(false);
  });

  it("grant only their scopes, and stop at expiry or revocation", () => {
    expect(hasScope(["search", "history"], "history")).toBe(true);
    expect(hasScope(["search"], "tracking:write")).toBe(false);
    const now = new Date("2026-11-23T12:00:00Z");
    expect(apiKeyUsable({ expiresAt: null, revokedAt: null }, now)).toBe(true);
    expect(apiKeyUsable({ expiresAt: new Date("2026-11-23T12:00:01Z"), revokedAt: null }, now)).toBe(true);
    expect(apiKeyUsable({ expiresAt: now, revokedAt: null }, now)).toBe(false);
    expect(apiKeyUsable({ expiresAt: null, revokedAt: new Date("2026-11-23T11:59:59Z") }, now)).toBe(false);
  });
});
