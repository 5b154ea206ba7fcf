import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OutboundPolicy } from "@/server/net/ssrf";
import { startReplayServer, type ReplayServer } from "@/test/http-replay";
import { headerText, NTFY_MAX_BODY_BYTES, sendNtfy } from "./ntfy";

const loopbackAllowed: OutboundPolicy = { allowLoopback: true, httpsOnly: false };
const options = { policy: loopbackAllowed, timeoutMs: 5_000 };

/** What ntfy does with a header (Go's mime.WordDecoder): decodes every RFC 2047 word in it. */
function decodeWords(value: string | string[] | undefined): string {
  return String(value).replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=/g, (_word, base64: string) => Buffer.from(base64, "base64").toString("utf8"));
}

let ntfy: ReplayServer;

beforeEach(async () => {
  ntfy = await startReplayServer();
  ntfy.script({ status: 200, body: { id: "msg1", event: "message", topic: "fares" } });
});

afterEach(async () => {
  await ntfy.close();
});

describe("sendNtfy", () => {
  it("publishes the body to the topic with title, click, priority, tags and token", async () => {
    const outcome = await sendNtfy(
      `${ntfy.url}/fares`,
      { title: "Price drop: London → New York", body: "LHR to JFK on 12 May is now £412 (was £468).", clickUrl: "https://flights.example/tracked/42", priority: 4, tags: ["airplane", "chart_with_downwards_trend"] },
      { ...options, token: "tk_secret" },
    );

    expect(outcome).toEqual({ ok: true, status: 200, durationMs: expect.any(Number) });
    const [published] = ntfy.requests;
    expect(published).toMatchObject({ method: "POST", path: "/fares", body: "LHR to JFK on 12 May is now £412 (was £468)." });
    expect(published?.headers).toMatchObject({
      "content-type": "text/plain; charset=utf-8",
      click: "https://flights.example/tracked/42",
      "x-priority": "4",
      tags: "airplane,chart_with_downwards_trend",
      authorization: "Bearer tk_secret",
    });
    expect(published?.headers.title).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    expect(decodeWords(published?.headers.title)).toBe("Price drop: London → New York");
  });

  it("sends only what is given", async () => {
    await sendNtfy(`${ntfy.url}/fares`, { title: "Fare alert", body: "A new low" }, options);
    const headers = ntfy.requests[0]?.headers ?? {};
    expect(headers.title).toBe("Fare alert");
    for (const name of ["click", "x-priority", "tags", "authorization"]) expect(headers[name]).toBeUndefined();
  });

  it("keeps header values on one line, so a title cannot add headers", async () => {
    await sendNtfy(`${ntfy.url}/fares`, { title: "Fare\r\nX-Injected: yes", body: "x", tags: ["a,b", "ünï"] }, options);
    const headers = ntfy.requests[0]?.headers ?? {};
    expect(headers.title).toBe("Fare X-Injected: yes");
    expect(headers["x-injected"]).toBeUndefined();
    expect(decodeWords(headers.tags).split(",")).toEqual(["a b", "ünï"]);
  });

  it("cuts a body longer than ntfy's limit on a character boundary", async () => {
    await sendNtfy(`${ntfy.url}/fares`, { title: "Long", body: "✈".repeat(3_000) }, options);
    const body = String(ntfy.requests[0]?.body);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(NTFY_MAX_BODY_BYTES);
    expect(body).toMatch(/^✈+…$/);
  });

  it("classifies ntfy's answers like a webhook's", async () => {
    ntfy.script({ status: 403, body: { code: 40301, http: 403, error: "forbidden" } }, { status: 429, headers: { "retry-after": "30" }, body: { error: "limit reached" } });
    const denied = await sendNtfy(`${ntfy.url}/fares`, { title: "t", body: "b" }, options);
    expect(denied).toMatchObject({ ok: false, status: 403, permanent: false, error: expect.stringContaining("forbidden") });
    expect(await sendNtfy(`${ntfy.url}/fares`, { title: "t", body: "b" }, options)).toMatchObject({ ok: false, status: 429, retryAfterMs: 30_000 });
  });

  it("does not publish to an address the policy refuses", async () => {
    const outcome = await sendNtfy(`${ntfy.url}/fares`, { title: "t", body: "b" }, { ...options, policy: { allowLoopback: false, httpsOnly: false } });
    expect(outcome).toMatchObject({ ok: false, status: null, permanent: true });
    expect(ntfy.requests).toHaveLength(0);
  });
});

describe("headerText", () => {
  it.each([
    ["Plain ASCII", "Plain ASCII"],
    ["  trimmed\t", "trimmed"],
    ["two\nlines", "two lines"],
    ["Zürich", "=?UTF-8?B?WsO8cmljaA==?="],
    ["✈️", "=?UTF-8?B?4pyI77iP?="],
  ])("%j -> %j", (text, header) => {
    expect(headerText(text)).toBe(header);
  });
});
