import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { open, seal, SecretBoxError } from "./secret-box";

const current = "current-auth-secret-0123456789abcdef";
const previous = "previous-auth-secret-fedcba9876543210";

/** Replaces one base64url part of a sealed value. */
function withPart(sealed: string, index: number, change: (bytes: Buffer) => Buffer): string {
  const parts = sealed.split(".");
  parts[index] = change(Buffer.from(parts[index]!, "base64url")).toString("base64url");
  return parts.join(".");
}

function flipFirstBit(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  copy[0] = copy[0]! ^ 1;
  return copy;
}

describe("secret box", () => {
  it.each(["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "", "ünïcödé ✈️"])("opens what it sealed: %j", (plain) => {
    const sealed = seal(plain, [current]);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{22}$/);
    if (plain) expect(sealed).not.toContain(plain);
    expect(open(sealed, [current])).toBe(plain);
  });

  it("uses a fresh IV each time", () => {
    const [a, b] = [seal("same", [current]), seal("same", [current])];
    expect(a).not.toBe(b);
    expect(a.split(".")[1]).not.toBe(b.split(".")[1]);
    expect([open(a, [current]), open(b, [current])]).toEqual(["same", "same"]);
  });

  it("is AES-256-GCM under HKDF-SHA256(secret, info 'flight-tracker webhook secret')", () => {
    const [, iv, ciphertext, tag] = seal("known", [current]).split(".").map((part) => Buffer.from(part, "base64url"));
    const key = Buffer.from(crypto.hkdfSync("sha256", current, Buffer.alloc(0), "flight-tracker webhook secret", 32));
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, iv!, { authTagLength: 16 });
    decipher.setAuthTag(tag!);
    expect(Buffer.concat([decipher.update(ciphertext!), decipher.final()]).toString("utf8")).toBe("known");
  });

  it("seals with the first key and opens with any, so a rotated secret still opens older values", () => {
    const old = seal("sealed before rotation", [previous]);
    expect(open(old, [current, previous])).toBe("sealed before rotation");
    const fresh = seal("sealed after rotation", [current, previous]);
    expect(open(fresh, [current])).toBe("sealed after rotation");
    expect(() => open(fresh, [previous])).toThrow(SecretBoxError);
  });

  it("refuses a value sealed under a secret no longer configured", () => {
    expect(() => open(seal("x", [previous]), [current])).toThrow(/does not open with any configured secret/);
  });

  it.each([
    ["the IV", 1],
    ["the ciphertext", 2],
    ["the tag", 3],
  ])("refuses a value whose %s was changed", (_what, index) => {
    const tampered = withPart(seal("secret value", [current]), index, flipFirstBit);
    expect(() => open(tampered, [current])).toThrow(SecretBoxError);
  });

  it.each([
    ["a truncated tag", (sealed: string) => withPart(sealed, 3, (tag) => tag.subarray(0, 12))],
    ["another version", (sealed: string) => sealed.replace(/^v1\./, "v2.")],
    ["a missing part", (sealed: string) => sealed.split(".").slice(0, 3).join(".")],
    ["an extra part", (sealed: string) => `${sealed}.AAAA`],
    ["plain text", () => "whsec_not-sealed"],
  ])("refuses %s", (_what, change) => {
    expect(() => open(change(seal("secret value", [current])), [current])).toThrow(SecretBoxError);
  });

  it("needs a key to seal", () => {
    expect(() => seal("x", [])).toThrow(SecretBoxError);
  });
});
