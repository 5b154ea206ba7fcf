import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { readUnsubscribeToken, unsubscribeToken } from "./unsubscribe";

const secret = crypto.randomBytes(32).toString("base64url");
const oldSecret = crypto.randomBytes(32).toString("base64url");
const claim = { userId: crypto.randomUUID(), trackedRouteId: crypto.randomUUID() };
const token = unsubscribeToken(secret, claim);
const [version, payload, mac] = token.split(".") as [string, string, string];

/** The payload of another claim (the same user, another route). */
function otherClaimPayload(): string {
  return Buffer.from(JSON.stringify([claim.userId, crypto.randomUUID()])).toString("base64url");
}

/** The MAC a forger would make without the app's secret: a plain HMAC of the payload under a guess. */
function guessedMac(key: string, data: string): string {
  return crypto.createHmac("sha256", key).update(data).digest("base64url");
}

describe("unsubscribe tokens", () => {
  it("is compact and URL-safe", () => {
    expect(token).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(token.length).toBeLessThan(200);
  });

  it.each([
    { name: "the signing secret", secrets: [secret], expected: claim },
    { name: "a rotated-out secret still accepted", secrets: [crypto.randomUUID(), secret], expected: claim },
    { name: "an empty secret among valid ones", secrets: ["", secret], expected: claim },
    { name: "another secret only", secrets: [oldSecret], expected: null },
    { name: "no secrets", secrets: [], expected: null },
    { name: "only an empty secret", secrets: [""], expected: null },
  ])("reads back with $name", ({ secrets, expected }) => {
    expect(readUnsubscribeToken(token, secrets)).toEqual(expected);
  });

  it.each([
    { name: "empty", value: "" },
    { name: "two parts", value: `${version}.${payload}` },
    { name: "four parts", value: `${token}.x` },
    { name: "another version", value: `v2.${payload}.${mac}` },
    { name: "no version", value: `.${payload}.${mac}` },
    { name: "a changed claim with the old MAC", value: `${version}.${otherClaimPayload()}.${mac}` },
    { name: "a truncated MAC", value: `${version}.${payload}.${mac.slice(0, 22)}` },
    { name: "an empty MAC", value: `${version}.${payload}.` },
    { name: "a MAC with padding", value: `${token}=` },
    { name: "a MAC in standard base64", value: `${version}.${payload}.${Buffer.from(mac, "base64url").toString("base64")}` },
    { name: "a MAC with its last character changed", value: `${version}.${payload}.${mac.slice(0, -1)}${mac.endsWith("A") ? "B" : "A"}` },
    { name: "a plain HMAC under the secret (no purpose label)", value: `${version}.${payload}.${guessedMac(secret, `${version}.${payload}`)}` },
    { name: "a MAC under an empty key", value: `${version}.${payload}.${guessedMac("", `${version}.${payload}`)}` },
    { name: "non-base64url characters", value: `${version}.${payload}!.${mac}` },
    { name: "far too long", value: `${version}.${"A".repeat(5000)}.${mac}` },
  ])("refuses $name", ({ value }) => {
    expect(readUnsubscribeToken(value, [secret, oldSecret])).toBeNull();
  });

  /**
   * A token whose payload is `json`, signed the way the module signs (so this also pins the
   * format): a correctly signed payload that holds no claim could only come from a bug, and must
   * read as nothing.
   */
  function signed(json: string): string {
    const body = Buffer.from(json).toString("base64url");
    return `v1.${body}.${crypto.createHmac("sha256", secret).update(`flight-tracker:alert-unsubscribe\nv1.${body}`).digest("base64url")}`;
  }

  it("pins the signed format (a signed well-formed payload reads back)", () => {
    expect(readUnsubscribeToken(signed(JSON.stringify(["u1", "r1"])), [secret])).toEqual({ userId: "u1", trackedRouteId: "r1" });
  });

  it.each([
    { name: "not JSON", json: "nope" },
    { name: "an object", json: JSON.stringify({ userId: "u", trackedRouteId: "r" }) },
    { name: "one id", json: JSON.stringify(["u"]) },
    { name: "three ids", json: JSON.stringify(["u", "r", "x"]) },
    { name: "an empty id", json: JSON.stringify(["", "r"]) },
    { name: "a number", json: JSON.stringify(["u", 7]) },
  ])("refuses a correctly signed payload that is $name", ({ json }) => {
    expect(readUnsubscribeToken(signed(json), [secret])).toBeNull();
  });

  it.each([
    { name: "an empty secret", secret: "", claim },
    { name: "an empty user", secret, claim: { ...claim, userId: "" } },
    { name: "an empty route", secret, claim: { ...claim, trackedRouteId: "" } },
  ])("will not sign with $name", ({ secret: key, claim: value }) => {
    expect(() => unsubscribeToken(key, value)).toThrow();
  });

  it("gives each claim its own token, and ids with dots or non-ASCII survive", () => {
    const odd = { userId: "a.b.c", trackedRouteId: "route→é" };
    expect(readUnsubscribeToken(unsubscribeToken(secret, odd), [secret])).toEqual(odd);
    expect(unsubscribeToken(secret, { ...claim, trackedRouteId: crypto.randomUUID() })).not.toBe(token);
    expect(unsubscribeToken(secret, claim)).toBe(token);
  });
});
