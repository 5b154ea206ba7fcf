import { describe, expect, it } from "vitest";
import { TEST_CONFIG } from "@/test/app-context";
import { emailDelivery, signInMessage } from "./email";

describe("sign-in email", () => {
  const auth = TEST_CONFIG.auth;

  it("goes by SMTP when a server is set, else to the outbox on one machine or outside production, else nowhere", () => {
    const smtp = { ...auth, email: { ...auth.email, server: "smtp://127.0.0.1:2525" } };
    expect(emailDelivery(smtp, { embedded: false, production: true })).toBe("smtp");
    expect(emailDelivery(auth, { embedded: true, production: true })).toBe("outbox");
    expect(emailDelivery(auth, { embedded: false, production: false })).toBe("outbox");
    expect(emailDelivery(auth, { embedded: false, production: true })).toBe("none");
  });

  it("says where, for how long, and escapes the link in HTML", () => {
    const message = signInMessage({ to: "a@example.test", url: 'http://localhost:3000/api/auth/callback/email?token=t&email=a"<b>', expires: new Date(Date.now() + 15 * 60_000) }, "localhost:3000");
    expect(message.text).toContain("localhost:3000");
    expect(message.text).toContain("15 minutes");
    expect(message.html).toContain("token=t&amp;email=a&quot;&lt;b>");
    expect(message.html).not.toContain('a"<b>');
  });
});
