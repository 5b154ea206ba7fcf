import crypto from "node:crypto";
import type { ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboxMessages } from "@/server/auth/outbox";
import { rawHeader, startMailServer, type TestMailServer } from "@/test/smtp";
import { renderAlertEmail, renderDigestEmail, sendEmail, type AlertEmailItem } from "./email";
import { readUnsubscribeToken, unsubscribeToken } from "./unsubscribe";

const SITE = "https://flights.example.test";
const FROM = "Flight Tracker <alerts@flights.example.test>";
const secret = crypto.randomBytes(32).toString("base64url");

/** A fresh alert for a fresh user and tracked route, with overrides. */
function alertItem(overrides: Partial<AlertEmailItem> = {}): AlertEmailItem & { userId: string; trackedRouteId: string } {
  const userId = crypto.randomUUID();
  const trackedRouteId = crypto.randomUUID();
  const token = unsubscribeToken(secret, { userId, trackedRouteId });
  return {
    userId,
    trackedRouteId,
    routeLabel: "London Heathrow (LHR) → New York JFK (JFK)",
    departureDate: "2027-03-12",
    returnDate: "2027-03-19",
    flexible: false,
    kind: "drop",
    priceMinor: 41_200,
    previousPriceMinor: 48_000,
    referenceMinor: 48_000,
    currency: "GBP",
    level: "low",
    simulated: false,
    resultsUrl: `${SITE}/search?originCode=LHR&destinationCode=JFK&departureDate=2027-03-12&returnDate=2027-03-19`,
    routeUrl: `${SITE}/routes/LHR-JFK?date=2027-03-12`,
    trackedUrl: `${SITE}/tracked`,
    unsubscribeUrl: `${SITE}/alerts/unsubscribe?token=${token}`,
    ...overrides,
  };
}

/** A header exactly as it was on the wire (unfolded), or undefined. */

/** The claim in the token of an unsubscribe URL. */
function claimOf(url: string) {
  return readUnsubscribeToken(new URL(url).searchParams.get("token") ?? "", [secret]);
}

describe("alert emails over real SMTP", () => {
  let server: TestMailServer;
  beforeAll(async () => {
    server = await startMailServer();
  });
  afterAll(async () => {
    await server.close();
  });

  /** Sends by SMTP to the loopback server and returns the email as it arrived. */
  async function deliver(message: Parameters<typeof sendEmail>[2]): Promise<ParsedMail> {
    const index = server.messages.length;
    await sendEmail(server.url, FROM, message, "smtp");
    return server.message(index);
  }

  it("arrives with its subject, prices, one-click unsubscribe headers and the Message-ID it was given", async () => {
    const item = alertItem();
    const to = `${crypto.randomUUID()}@example.test`;
    const messageId = `<alert-${crypto.randomUUID()}@flights.example.test>`;
    const mail = await deliver({ to, ...renderAlertEmail(item, {}), messageId });

    expect(mail.subject).toBe("Price drop: LHR → JFK on 12 Mar, now £412 (was £480)");
    expect(mail.messageId).toBe(messageId);
    expect(mail.text).toContain("£412");
    expect(mail.text).toContain("£480");
    expect(mail.text).toContain("down 14% (£68)");
    expect(mail.text).toContain("low (cheaper than usual)");
    expect(mail.text).toContain(item.resultsUrl);
    expect(mail.text).toContain(item.routeUrl);
    expect(mail.html).toContain("£412");
    expect(mail.html).toContain("£480");
    expect(mail.html).toContain(`href="${item.resultsUrl.replace(/&/g, "&amp;")}"`);
    expect(mail.html).not.toContain("Simulated");
    expect(rawHeader(mail, "List-Unsubscribe")).toBe(`<${item.unsubscribeUrl}>`);
    expect(rawHeader(mail, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(rawHeader(mail, "Auto-Submitted")).toBe("auto-generated");

    const url = /<(.+)>/.exec(rawHeader(mail, "List-Unsubscribe")!)![1]!;
    expect(claimOf(url)).toEqual({ userId: item.userId, trackedRouteId: item.trackedRouteId });
    expect(mail.text).toContain(url);
  });

  it("takes a Message-ID without angle brackets too", async () => {
    const id = `alert-${crypto.randomUUID()}@flights.example.test`;
    const mail = await deliver({ to: "a@example.test", ...renderAlertEmail(alertItem(), {}), messageId: id });
    expect(mail.messageId).toBe(`<${id}>`);
  });

  it("labels a simulated price in the subject, the text and the HTML", async () => {
    const mail = await deliver({ to: "a@example.test", ...renderAlertEmail(alertItem({ simulated: true }), {}) });
    expect(mail.subject).toMatch(/^\[Simulated\] Price drop: LHR → JFK/);
    expect(mail.text).toContain("Simulated price");
    expect(mail.html).toContain("Simulated price");
  });

  it("sends the day's digest with every change, each with its own unsubscribe link", async () => {
    const items = [
      alertItem(),
      alertItem({ kind: "below_target", referenceMinor: 45_000, routeLabel: "Paris Charles de Gaulle (CDG) → Tokyo Haneda (HND)", currency: "EUR", priceMinor: 61_000, previousPriceMinor: 66_000 }),
      alertItem({ kind: "new_low", referenceMinor: 9_500, priceMinor: 8_900, previousPriceMinor: null, simulated: true, flexible: true, returnDate: null }),
    ];
    const manageUrl = `${SITE}/tracked`;
    const mail = await deliver({ to: "a@example.test", ...renderDigestEmail(items, { date: "2027-03-12", manageUrl }) });

    expect(mail.subject).toBe("Flight Tracker: 3 price changes on 12 Mar");
    for (const item of items) {
      expect(mail.text).toContain(item.unsubscribeUrl);
      expect(mail.html).toContain(item.unsubscribeUrl);
      expect(claimOf(item.unsubscribeUrl)).toEqual({ userId: item.userId, trackedRouteId: item.trackedRouteId });
    }
    expect(mail.text).toContain("€610");
    expect(mail.text).toContain("at or below your target of €450");
    expect(mail.text).toContain("a new low: the lowest price seen before was £95");
    expect(mail.text).toContain("cheapest dates in your flexible search");
    expect(mail.text).toContain("one way");
    expect(mail.text).toContain("Simulated price");
    expect(rawHeader(mail, "List-Unsubscribe")).toBe(`<${manageUrl}>`);
    expect(rawHeader(mail, "List-Unsubscribe-Post")).toBeUndefined();
  });

  it("throws when the server refuses the recipient", async () => {
    const refusing = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error("No such mailbox"), { responseCode: 550 }));
      },
    });
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    const { port } = refusing.server.address() as { port: number };
    try {
      const message = { to: "nobody@example.test", ...renderAlertEmail(alertItem(), {}) };
      await expect(sendEmail(`smtp://127.0.0.1:${port}`, FROM, message, "smtp")).rejects.toThrow();
    } finally {
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  });
});

describe("alert email content", () => {
  it("escapes a hostile route label and URL in the HTML", () => {
    const hostile = `<script>alert("x")</script> & 'friends' (LHR) → <img src=x onerror=1> (JFK)`;
    const { html, text, subject } = renderAlertEmail(alertItem({ routeLabel: hostile, routeUrl: `${SITE}/routes/"><script>` }), {});
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;friends&#39;");
    expect(html).toContain(`${SITE}/routes/&quot;&gt;&lt;script&gt;`);
    expect(text).toContain(hostile);
    expect(subject).toContain("LHR → JFK");
  });

  it("links nothing but http(s)", () => {
    const { html } = renderAlertEmail(alertItem({ trackedUrl: "javascript:alert(1)" }), {});
    expect(html).not.toContain("javascript:");
  });

  it.each([
    { kind: "below_target", overrides: { referenceMinor: 45_000 }, subject: "Below your target: LHR → JFK on 12 Mar, now £412 (was £480)", says: "at or below your target of £450" },
    { kind: "drop", overrides: {}, subject: "Price drop: LHR → JFK on 12 Mar, now £412 (was £480)", says: "down 14% (£68) since it was £480" },
    { kind: "new_low", overrides: { referenceMinor: 43_000 }, subject: "New low: LHR → JFK on 12 Mar, now £412 (was £480)", says: "the lowest price seen before was £430" },
    { kind: "insight_low", overrides: { referenceMinor: null, previousPriceMinor: null }, subject: "Prices are low: LHR → JFK on 12 Mar, now £412", says: "Prices are low now" },
  ] as const)("says what triggered a $kind alert", ({ kind, overrides, subject, says }) => {
    const email = renderAlertEmail(alertItem({ kind, ...overrides }), {});
    expect(email.subject).toBe(subject);
    expect(email.text).toContain(says);
    expect(email.html).toContain(says.replace(/&/g, "&amp;"));
  });

  it("shows pennies only when whole pounds would hide the change, keeps a label without codes, and omits an unknown level", () => {
    const email = renderAlertEmail(alertItem({ priceMinor: 41_210, previousPriceMinor: 41_240, referenceMinor: 41_240, routeLabel: "Somewhere → Elsewhere", level: null }), {});
    expect(email.subject).toBe("Price drop: Somewhere → Elsewhere on 12 Mar, now £412.10 (was £412.40)");
    expect(email.text).not.toContain("usual price");
  });

  it("names the app it was given, and a digest of one says so in the singular", () => {
    const item = alertItem();
    expect(renderAlertEmail(item, { appName: "Fare Watch" }).text).toContain("on Fare Watch.");
    expect(renderDigestEmail([item], { appName: "Fare Watch", date: "2027-03-12", manageUrl: `${SITE}/tracked` }).subject).toBe("Fare Watch: 1 price change on 12 Mar");
    expect(() => renderDigestEmail([], { date: "2027-03-12", manageUrl: `${SITE}/tracked` })).toThrow(RangeError);
  });
});

describe("alert email delivery without SMTP", () => {
  it("puts it into the development outbox with the results link", async () => {
    const item = alertItem();
    const to = `${crypto.randomUUID()}@example.test`;
    await sendEmail(undefined, FROM, { to, ...renderAlertEmail(item, {}) }, "outbox");
    expect(outboxMessages()[0]).toMatchObject({ to, url: item.resultsUrl });
    await sendEmail(undefined, FROM, { to, ...renderAlertEmail(item, {}), url: item.trackedUrl }, "outbox");
    expect(outboxMessages()[0]).toMatchObject({ to, url: item.trackedUrl });
  });

  it.each([
    { name: "no delivery", transport: "smtp://127.0.0.1:1", mode: "none" },
    { name: "SMTP without a server URL", transport: undefined, mode: "smtp" },
  ] as const)("throws with $name", async ({ transport, mode }) => {
    await expect(sendEmail(transport, FROM, { to: "a@example.test", ...renderAlertEmail(alertItem(), {}) }, mode)).rejects.toThrow(/EMAIL_SERVER/);
  });
});
