import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Principal } from "@/server/auth/principal";
import { metrics } from "@/server/metrics";
import { createUpstashRedis } from "@/server/upstash";
import { bridgeForTests, redisUnavailable } from "@/test/upstash-bridge";
import { createLimiters, limitFor, take, type Limits } from "./index";
import { signInAllowed, signInEmailKey } from "./sign-in";

const redisDown = await redisUnavailable();

const LIMITS: Limits = {
  search: { windowSeconds: 60, requests: { address: 2, user: 3, key: 4 } },
  lookup: { windowSeconds: 60, requests: { address: 0, user: 0, key: 1 } },
  signIn: { windowSeconds: 900, requests: { email: 2, address: 3 } },
};

const memoryLimiters = (limits = LIMITS) => createLimiters(limits, null, () => {});
const keyPrincipal = (keyId: string): Principal => ({ via: "key", userId: "u-1", role: "user", keyId, scopes: ["search"] });
const sessionPrincipal = (userId: string): Principal => ({ via: "session", userId, role: "user", sessionId: "s-1" });

/** Whether each of `count` requests from `principal` (or anonymous) at `address` is let through. */
async function verdicts(limiter: ReturnType<typeof memoryLimiters>, count: number, principal: Principal | null, address = "192.0.2.10") {
  const allowed: boolean[] = [];
  for (let i = 0; i < count; i++) allowed.push((await take(limitFor({ limiter }, "search", principal, address)))!.allowed);
  return allowed;
}

describe("the table of limits", () => {
  it("gives each kind of caller its own size; 0 turns one off", async () => {
    const limiter = memoryLimiters();
    expect(await verdicts(limiter, 3, null)).toEqual([true, true, false]);
    expect(await verdicts(limiter, 4, sessionPrincipal("u-7"))).toEqual([true, true, true, false]);
    expect(await verdicts(limiter, 5, keyPrincipal("k-1"))).toEqual([true, true, true, true, false]);
    expect(limitFor({ limiter }, "lookup", null, "192.0.2.10")).toBeNull();
    expect(limitFor({ limiter }, "lookup", sessionPrincipal("u-7"), "192.0.2.10")).toBeNull();
    expect(limitFor({ limiter }, "lookup", keyPrincipal("k-1"), "192.0.2.10")).toMatchObject({ kind: "key", key: "key:k-1" });
    // One limiter per limit and kind, the same each time.
    expect(limiter("search", "key")).toBe(limiter("search", "key"));
    expect(limiter("search", "key")).not.toBe(limiter("search", "user"));
  });

  it("keys a request by its API key, else its user, else its client address", async () => {
    const limiter = memoryLimiters();
    expect(limitFor({ limiter }, "search", keyPrincipal("k-1"), "192.0.2.1")).toMatchObject({ kind: "key", key: "key:k-1" });
    expect(limitFor({ limiter }, "search", sessionPrincipal("u-1"), "192.0.2.1")).toMatchObject({ kind: "user", key: "user:u-1" });
    expect(limitFor({ limiter }, "search", null, "192.0.2.1")).toMatchObject({ kind: "address", key: "192.0.2.1" });
  });

  it("keeps a key's bucket apart from its address's, and from every other key's", async () => {
    const limiter = memoryLimiters();
    const address = "198.51.100.20";
    // The key exhausted: anonymous callers at its address still get through, another key too.
    expect(await verdicts(limiter, 5, keyPrincipal("k-a"), address)).toEqual([true, true, true, true, false]);
    expect(await verdicts(limiter, 1, null, address)).toEqual([true]);
    expect(await verdicts(limiter, 1, keyPrincipal("k-b"), address)).toEqual([true]);
    // The address exhausted: the key still works from it, whatever the key is called.
    expect(await verdicts(limiter, 2, null, address)).toEqual([true, false]);
    expect(await verdicts(limiter, 1, keyPrincipal("k-b"), address)).toEqual([true]);
    // An address that looks like a key's bucket is still only an address.
    expect(await verdicts(limiter, 3, null, "key:k-c")).toEqual([true, true, false]);
    expect(await verdicts(limiter, 1, keyPrincipal("k-c"), address)).toEqual([true]);
  });

  it("counts each refusal in the metrics", async () => {
    const limiter = memoryLimiters();
    const before = metrics.rateLimited;
    await verdicts(limiter, 4, null, "203.0.113.40");
    expect(metrics.rateLimited - before).toBe(2);
    expect(await take(null)).toBeNull();
  });
});

describe("sign-in limits", () => {
  let sequence = 0;
  const email = () => `Sign.In-${Date.now()}-${sequence++}@Example.test`;

  it("allows a few links per email address, whatever its case and spaces, then says when to retry", async () => {
    const limiter = memoryLimiters();
    const ann = email();
    expect(await signInAllowed({ limiter }, { email: ann, address: "192.0.2.50" })).toEqual({ allowed: true });
    expect(await signInAllowed({ limiter }, { email: `  ${ann.toLowerCase()} `, address: "192.0.2.51" })).toEqual({ allowed: true });
    const refused = await signInAllowed({ limiter }, { email: ann.toUpperCase(), address: "192.0.2.52" });
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(900);
    // Another address is another bucket.
    expect(await signInAllowed({ limiter }, { email: email(), address: "192.0.2.52" })).toEqual({ allowed: true });
  });

  it("allows a few links per client address, whichever addresses are typed", async () => {
    const limiter = memoryLimiters();
    const results = [];
    for (let i = 0; i < 4; i++) results.push((await signInAllowed({ limiter }, { email: email(), address: "192.0.2.60" })).allowed);
    expect(results).toEqual([true, true, true, false]);
    expect((await signInAllowed({ limiter }, { email: email(), address: "192.0.2.61" })).allowed).toBe(true);
  });

  it("spends no email's allowance on a client address already refused", async () => {
    const limiter = memoryLimiters();
    for (let i = 0; i < 3; i++) await signInAllowed({ limiter }, { email: email(), address: "192.0.2.70" });
    const victim = email();
    for (let i = 0; i < 5; i++) expect((await signInAllowed({ limiter }, { email: victim, address: "192.0.2.70" })).allowed).toBe(false);
    expect((await signInAllowed({ limiter }, { email: victim, address: "192.0.2.71" })).allowed).toBe(true);
    expect((await signInAllowed({ limiter }, { email: victim, address: "192.0.2.72" })).allowed).toBe(true);
  });

  it("lets everything through when both are off", async () => {
    const limiter = memoryLimiters({ ...LIMITS, signIn: { windowSeconds: 900, requests: { email: 0, address: 0 } } });
    for (let i = 0; i < 10; i++) expect((await signInAllowed({ limiter }, { email: "same@example.test", address: "192.0.2.80" })).allowed).toBe(true);
  });

  it("keys an email address by the SHA-256 of its normal form, never the address itself", () => {
    const key = signInEmailKey(" Ann@Example.COM ");
    expect(key).toBe(`email:${crypto.createHash("sha256").update("ann@example.com").digest("hex")}`);
    expect(key).toBe(signInEmailKey("ann@example.com"));
    expect(key).not.toMatch(/ann|example/i);
  });
});

describe.skipIf(redisDown !== null && !process.env.CI)("the table of limits in Redis, through the Upstash REST bridge", () => {
  const prefix = `ft:test-limits:${crypto.randomUUID()}`;
  const bridge = bridgeForTests(prefix);

  it("keeps each kind of bucket under its own prefix, an address never naming a key's, and no email address in a key", async () => {
    const limiter = createLimiters(LIMITS, createUpstashRedis({ url: bridge().url, token: bridge().token }), () => {}, prefix);
    const keyId = crypto.randomUUID();
    // An anonymous caller whose forged address spells the key's bucket uses up only its own.
    for (let i = 0; i < 3; i++) await take(limitFor({ limiter }, "search", null, `key:${keyId}`));
    expect((await take(limitFor({ limiter }, "search", null, `key:${keyId}`)))!.allowed).toBe(false);
    expect((await take(limitFor({ limiter }, "search", keyPrincipal(keyId), "192.0.2.90")))!.allowed).toBe(true);
    await take(limitFor({ limiter }, "search", sessionPrincipal("u-redis"), "192.0.2.90"));
    expect((await signInAllowed({ limiter }, { email: "Someone.Secret@Example.test", address: "192.0.2.90" })).allowed).toBe(true);

    const keys = await bridge().redis.keys(`${prefix}*`);
    expect(keys.some((k) => k.startsWith(`${prefix}:search:key:${keyId}`))).toBe(true);
    expect(keys.some((k) => k.startsWith(`${prefix}:search/key:key:${keyId}`))).toBe(true);
    expect(keys.some((k) => k.startsWith(`${prefix}:search/user:user:u-redis`))).toBe(true);
    expect(keys.some((k) => k.startsWith(`${prefix}:signIn/email:email:`))).toBe(true);
    expect(keys.some((k) => k.startsWith(`${prefix}:signIn:192.0.2.90`))).toBe(true);
    expect(keys.join("\n")).not.toMatch(/someone|secret/i);
  });
});
