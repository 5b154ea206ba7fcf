import crypto from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import { closeLoopbackServers, loopbackServer } from "@/test/loopback-http";
import type { OutboundPolicy } from "@/server/net/ssrf";
import { MAX_RETRY_AFTER_MS, newWebhookSecret, nextAttemptDelayMs, parseRetryAfter, sendWebhook, WEBHOOK_RETRY_SCHEDULE_MS, type WebhookMessage } from "./webhook";

const loopbackAllowed: OutboundPolicy = { allowLoopback: true, httpsOnly: false };

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Never answer. */
  hang?: boolean;
}

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** What `new Webhook(secret).verify(body, headers)` made of it: the parsed body, or the error's message. */
  verified: { ok: true; payload: unknown } | { ok: false; error: string };
}

interface Receiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

afterEach(closeLoopbackServers);

/** A webhook receiver on 127.0.0.1 that verifies every delivery with the standardwebhooks library and answers with the next reply (the last repeats). */
async function receiver(secret: string, ...replies: Reply[]): Promise<Receiver> {
  const received: Received[] = [];
  const server = await loopbackServer((hit, response) => {
    const headers = Object.fromEntries(Object.entries(hit.headers).map(([name, value]) => [name, String(value)]));
    received.push({ path: hit.path, headers, body: hit.body, verified: verify(secret, hit.body, headers) });
    const reply = replies[Math.min(received.length - 1, replies.length - 1)]!;
    if (reply.hang) return;
    response.writeHead(reply.status, reply.headers);
    response.end(reply.body ?? "");
  });
  return { url: server.url, received, close: server.close };
}

function verify(secret: string, body: string, headers: Record<string, string>): Received["verified"] {
  try {
    return { ok: true, payload: new Webhook(secret).verify(body, headers) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

function message(overrides: Partial<WebhookMessage> = {}): WebhookMessage {
  return {
    id: `msg_${crypto.randomUUID()}`,
    type: "price.dropped",
    timestamp: new Date("2026-03-01T08:00:00.000Z"),
    payload: { route: "LHR-JFK", price: { amount: "412.00", currency: "GBP" } },
    ...overrides,
  };
}

const options = { policy: loopbackAllowed, timeoutMs: 5_000 };

describe("sendWebhook", () => {
  it("delivers a Standard Webhooks message that the receiver verifies", async () => {
    const secret = newWebhookSecret();
    const endpoint = await receiver(secret, { status: 200 });
    const sent = message();
    const before = Math.floor(Date.now() / 1000);

    const outcome = await sendWebhook({ url: `${endpoint.url}/hooks/flights`, secret }, sent, options);

    expect(outcome).toEqual({ ok: true, status: 200, durationMs: expect.any(Number) });
    const [delivery] = endpoint.received;
    const data = { type: "price.dropped", timestamp: "2026-03-01T08:00:00.000Z", data: sent.payload };
    expect(delivery?.verified).toEqual({ ok: true, payload: data });
    expect(delivery?.path).toBe("/hooks/flights");
    expect(delivery?.body).toBe(JSON.stringify(data));
    expect(delivery?.headers).toMatchObject({ "content-type": "application/json", "user-agent": "FlightTracker-Webhooks/1", "webhook-id": sent.id });
    // The attempt's time, not the event's (which is in the body).
    expect(Number(delivery?.headers["webhook-timestamp"])).toBeGreaterThanOrEqual(before);
    expect(delivery?.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  it("is refused by a receiver holding another secret (the verification above is real)", async () => {
    const endpoint = await receiver(newWebhookSecret(), { status: 200 });
    await sendWebhook({ url: endpoint.url, secret: newWebhookSecret() }, message(), options);
    expect(endpoint.received[0]?.verified).toEqual({ ok: false, error: "No matching signature found" });
  });

  it("keeps the webhook-id across attempts: 500, then 200 on the retry", async () => {
    const secret = newWebhookSecret();
    const endpoint = await receiver(secret, { status: 500, body: "database down" }, { status: 200 });
    const sent = message();

    const first = await sendWebhook({ url: endpoint.url, secret }, sent, options);
    const second = await sendWebhook({ url: endpoint.url, secret }, sent, options);

    expect(first).toEqual({ ok: false, status: 500, error: "The endpoint answered 500: database down", retryAfterMs: null, permanent: false, disable: false, durationMs: expect.any(Number) });
    expect(second).toMatchObject({ ok: true, status: 200 });
    expect(endpoint.received.map((delivery) => delivery.headers["webhook-id"])).toEqual([sent.id, sent.id]);
    expect(endpoint.received.map((delivery) => delivery.verified.ok)).toEqual([true, true]);
  });

  it("disables the endpoint on 410 Gone", async () => {
    const secret = newWebhookSecret();
    const endpoint = await receiver(secret, { status: 410 });
    expect(await sendWebhook({ url: endpoint.url, secret }, message(), options)).toMatchObject({ ok: false, status: 410, permanent: true, disable: true, error: expect.stringContaining("410 Gone") });
  });

  it.each([404, 400, 401, 408, 502, 504])("retries after %i (the spec: any other status is a failure to retry)", async (status) => {
    const secret = newWebhookSecret();
    const endpoint = await receiver(secret, { status });
    expect(await sendWebhook({ url: endpoint.url, secret }, message(), options)).toMatchObject({ ok: false, status, permanent: false, disable: false, retryAfterMs: null });
  });

  it("takes Retry-After from a 429", async () => {
    const secret = newWebhookSecret();
    const endpoint = await receiver(secret, { status: 429, headers: { "retry-after": "120" } });
    expect(await sendWebhook({ url: endpoint.url, secret }, message(), options)).toMatchObject({ ok: false, status: 429, retryAfterMs: 120_000, permanent: false });
  });

  it("takes Retry-After as an HTTP date from a 503", async () => {
    const secret = newWebhookSecret();
    const endpoint = await receiver(secret, { status: 503, headers: { "retry-after": new Date(Date.now() + 3_600_000).toUTCString() } });
    const outcome = await sendWebhook({ url: endpoint.url, secret }, message(), options);
    expect(outcome).toMatchObject({ ok: false, status: 503 });
    expect(outcome.ok ? null : outcome.retryAfterMs).toBeGreaterThan(3_590_000);
    expect(outcome.ok ? null : outcome.retryAfterMs).toBeLessThanOrEqual(3_600_000);
  });

  it("ignores Retry-After on other statuses", async () => {
    const secret = newWebhookSecret();
    const endpoint = await receiver(secret, { status: 500, headers: { "retry-after": "120" } });
    expect(await sendWebhook({ url: endpoint.url, secret }, message(), options)).toMatchObject({ ok: false, retryAfterMs: null });
  });

  it("gives up on a receiver that does not answer in time", async () => {
    const secret = newWebhookSecret();
    const endpoint = await receiver(secret, { status: 200, hang: true });
    const outcome = await sendWebhook({ url: endpoint.url, secret }, message(), { ...options, timeoutMs: 200 });
    expect(outcome).toEqual({ ok: false, status: null, error: "timed out after 200 ms", retryAfterMs: null, permanent: false, disable: false, durationMs: expect.any(Number) });
    expect(endpoint.received).toHaveLength(1);
  });

  it("does not follow a redirect", async () => {
    const secret = newWebhookSecret();
    const endpoint = await receiver(secret, { status: 307, headers: { location: "/elsewhere" } }, { status: 200 });
    const outcome = await sendWebhook({ url: `${endpoint.url}/hook`, secret }, message(), options);
    expect(outcome).toMatchObject({ ok: false, status: 307, permanent: false, error: expect.stringContaining("redirect") });
    expect(endpoint.received.map((delivery) => delivery.path)).toEqual(["/hook"]);
  });

  it("does not send to an address the policy refuses, and says so for good", async () => {
    const secret = newWebhookSecret();
    const endpoint = await receiver(secret, { status: 200 });
    const outcome = await sendWebhook({ url: `${endpoint.url}/hook?token=t0ken`, secret }, message(), { ...options, policy: { allowLoopback: false, httpsOnly: false } });
    expect(outcome).toMatchObject({ ok: false, status: null, permanent: true, disable: false, error: expect.stringContaining("loopback") });
    expect(outcome.ok ? "" : outcome.error).not.toContain("t0ken");
    expect(endpoint.received).toHaveLength(0);
  });

  it("reports a refused connection as a failure to retry", async () => {
    const secret = newWebhookSecret();
    const endpoint = await receiver(secret, { status: 200 });
    await endpoint.close();
    expect(await sendWebhook({ url: endpoint.url, secret }, message(), options)).toMatchObject({ ok: false, status: null, permanent: false, error: expect.stringContaining("ECONNREFUSED") });
  });

  it("refuses an id holding the signature's delimiter", async () => {
    await expect(sendWebhook({ url: "https://example.com/", secret: newWebhookSecret() }, message({ id: "msg.1" }), options)).rejects.toThrow(/may not contain/);
  });
});

describe("newWebhookSecret", () => {
  it("is whsec_ and 24 random bytes in base64, which the standardwebhooks library accepts", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(secret.slice("whsec_".length), "base64")).toHaveLength(24);
    expect(newWebhookSecret()).not.toBe(secret);
    const at = new Date();
    const headers = { "webhook-id": "msg_1", "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": new Webhook(secret).sign("msg_1", at, "{}") };
    expect(new Webhook(secret).verify("{}", headers)).toEqual({});
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-03-01T12:00:00Z");
  it.each([
    ["120", 120_000],
    [" 5 ", 5_000],
    ["0", 0],
    ["Sun, 01 Mar 2026 12:01:30 GMT", 90_000],
    ["Sun, 01 Mar 2026 11:00:00 GMT", 0],
    ["999999", MAX_RETRY_AFTER_MS],
    ["Sun, 01 Mar 2027 12:00:00 GMT", MAX_RETRY_AFTER_MS],
    ["-5", null],
    ["1.5", null],
    ["2030", 2_030_000],
    ["soon", null],
    ["", null],
    [undefined, null],
  ])("%j -> %s", (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});

describe("the retry schedule", () => {
  it("is the Standard Webhooks example schedule", () => {
    expect(WEBHOOK_RETRY_SCHEDULE_MS.map((ms) => ms / 1000)).toEqual([0, 5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 86_400]);
  });

  it.each([
    [0, null, 1, 0],
    [1, null, 1, 5_000],
    [2, null, 1, 300_000],
    [3, null, 1, 1_800_000],
    [4, null, 1, 7_200_000],
    [5, null, 1, 18_000_000],
    [6, null, 1, 36_000_000],
    [7, null, 1, 50_400_000],
    [8, null, 1, 72_000_000],
    [9, null, 1, 86_400_000],
    [10, null, 1, null],
    [11, 60_000, 1, null],
    [1, 120_000, 1, 120_000],
    [3, 120_000, 1, 1_800_000],
    [2, 300_000, 1, 300_000],
    [1, null, 0.001, 5],
    [3, null, 0.001, 1_800],
    [3, 60_000, 0.001, 60_000],
    [10, null, 0.001, null],
  ])("after %i attempts, Retry-After %s, scale %s: %s", (attemptsMade, retryAfterMs, scale, expected) => {
    expect(nextAttemptDelayMs(attemptsMade, retryAfterMs, scale)).toBe(expected);
  });

  it.each([-1, 1.5, Number.NaN])("refuses %s attempts", (attemptsMade) => {
    expect(() => nextAttemptDelayMs(attemptsMade, null)).toThrow(RangeError);
  });
});
