import { NextRequest } from "next/server";
import { afterEach, expect, it, vi } from "vitest";

/** proxy.ts as a process with these settings would load it. */
async function loadProxy(vars: Record<string, string> = {}) {
  vi.resetModules();
  for (const [key, value] of Object.entries(vars)) vi.stubEnv(key, value);
  return (await import("./proxy")).proxy;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

const get = (path: string, headers: Record<string, string> = {}) => new NextRequest(`http://127.0.0.1:3000${path}`, { headers });

it("gives each page a policy with a fresh nonce, passed on to Next with the request", async () => {
  const proxy = await loadProxy();
  const first = proxy(get("/"));
  const second = proxy(get("/"));
  const nonce = (response: Response) => /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy") ?? "")?.[1];
  expect(nonce(first)).toBeTruthy();
  expect(nonce(first)).not.toBe(nonce(second));
  // NextResponse.next({ request: { headers } }) hands the request's new headers to Next this way.
  expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(first.headers.get("content-security-policy"));
  expect(first.headers.get("x-request-id")).toBe(first.headers.get("x-middleware-request-x-request-id"));
});

it("keeps a caller's valid request id, and replaces one that is not plainly an id", async () => {
  const proxy = await loadProxy();
  expect(proxy(get("/routes/LHR-JFK", { "x-request-id": "caller-0001" })).headers.get("x-request-id")).toBe("caller-0001");
  expect(proxy(get("/", { "x-request-id": "bad id" })).headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
});

it("leaves API routes and CSV downloads to their handlers (withRequestScope)", async () => {
  const { config } = await import("./proxy");
  const matcher = new RegExp(`^${config.matcher[0]!.replace("/((?!", "/(?!(?:").replace(").*)", ")).*")}$`);
  expect(["/", "/search", "/routes/LHR-JFK", "/docs/api"].every((p) => matcher.test(p))).toBe(true);
  expect(["/api/health", "/api/v1/nope", "/routes/LHR-JFK/snapshots.csv", "/_next/static/x.js", "/icon.svg"].some((p) => matcher.test(p))).toBe(false);
});

it("answers 400 for a page query that does not hold up, but not to a client-side navigation", async () => {
  const proxy = await loadProxy();
  expect(proxy(get("/routes/LHR-JFK?days=abc")).status).toBe(400);
  expect(proxy(get("/routes/LHR-JFK?days=30")).status).toBe(200);
  expect(proxy(get("/search?originCode=L1")).status).toBe(400);
  expect(proxy(get("/routes/LHR-JFK?days=abc", { rsc: "1" })).status).toBe(200);
});

it("sends HSTS only when a trusted proxy says the request came over HTTPS", async () => {
  const direct = await loadProxy({ TRUSTED_PROXIES: "0" });
  expect(direct(get("/", { "x-forwarded-proto": "https" })).headers.get("strict-transport-security")).toBeNull();
  const behind = await loadProxy({ TRUSTED_PROXIES: "1" });
  expect(behind(get("/", { "x-forwarded-proto": "https" })).headers.get("strict-transport-security")).toMatch(/^max-age=\d+/);
  expect(behind(get("/", { "x-forwarded-proto": "http" })).headers.get("strict-transport-security")).toBeNull();
});
