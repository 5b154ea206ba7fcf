import { expect, it } from "vitest";
import { atPublicUrl } from "./public-url";

// `next start` on every address gives handlers URLs at 0.0.0.0 (and on 127.0.0.1 at localhost):
// Auth.js must see the address the browser used, or its links and redirects leave the cookies behind.

it("puts an Auth.js request at the browser's Host, body and headers kept", async () => {
  const request = new Request("http://0.0.0.0:3000/api/auth/signin/email?x=1", {
    method: "POST",
    headers: { host: "192.168.1.20:3000", "content-type": "application/x-www-form-urlencoded", cookie: "a=b" },
    body: "email=ann%40example.test",
  });
  const moved = await atPublicUrl(request);
  expect(moved.url).toBe("http://192.168.1.20:3000/api/auth/signin/email?x=1");
  expect(moved.method).toBe("POST");
  expect(moved.headers.get("cookie")).toBe("a=b");
  expect(await moved.text()).toBe("email=ann%40example.test");
});

it("leaves a request alone when it is already where the browser went, and follows X-Forwarded-* only behind a trusted proxy", async () => {
  const here = new Request("http://localhost:3000/api/auth/session", { headers: { host: "localhost:3000" } });
  expect(await atPublicUrl(here)).toBe(here);
  // TRUSTED_PROXIES is 0 in tests: a client's X-Forwarded-Host is not believed.
  const forged = new Request("http://0.0.0.0:3000/api/auth/session", { headers: { host: "flights.example.test", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" } });
  expect((await atPublicUrl(forged)).url).toBe("http://flights.example.test/api/auth/session");
});
