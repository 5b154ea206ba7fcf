import { describe, expect, it } from "vitest";
import { alertRuleKindValues, channelKindValues, deliveryStatusValues, alertModeValues } from "@/db/schema/alerts";
import { ALERT_RULE_KINDS, type AlertMessage } from "./alert-rules";
import { afterQuietHours, ALERT_MODES, alertRuleInput, CHANNEL_KINDS, channelInput, DELIVERY_STATUSES, lastDigestMoment, localDay, localMinuteOfDay, preferencesInput, primaryMessage } from "./alerts";

const at = (iso: string) => new Date(iso);

describe("alert settings", () => {
  it("the database's lists are the code's", () => {
    expect([...alertRuleKindValues]).toEqual([...ALERT_RULE_KINDS]);
    expect([...channelKindValues]).toEqual([...CHANNEL_KINDS]);
    expect([...deliveryStatusValues]).toEqual([...DELIVERY_STATUSES]);
    expect([...alertModeValues]).toEqual([...ALERT_MODES]);
  });

  it.each([
    [{ kind: "below_target", targetAmount: 300 }, null],
    [{ kind: "below_target" }, { targetAmount: ["is required for a below_target rule"] }],
    [{ kind: "drop", dropPercent: 10 }, null],
    [{ kind: "drop", dropAmount: 25 }, null],
    [{ kind: "drop" }, { dropPercent: ["a drop rule needs dropPercent or dropAmount"] }],
    [{ kind: "drop", dropPercent: 0 }, { dropPercent: ["must be more than 0"] }],
    [{ kind: "drop", dropPercent: 99 }, { dropPercent: ["must be at most 95"] }],
    [{ kind: "new_low", floorPercent: 1, targetAmount: 5 }, { targetAmount: ["only for below_target rules"] }],
    [{ kind: "insight_low", cooldownHours: 1.5 }, { cooldownHours: ["must be a whole number of hours"] }],
    [{ kind: "insight_low", cooldownHours: 721 }, { cooldownHours: ["must be at most 720 (30 days)"] }],
    [{ kind: "sometimes" }, { kind: ["must be one of below_target, drop, new_low, insight_low"] }],
    [{ kind: "new_low", extra: 1 }, { "": [expect.stringMatching(/extra/)] }],
  ])("rule %j: %j", (input, errors) => {
    const parsed = alertRuleInput.safeParse(input);
    if (errors === null) {
      expect(parsed.success).toBe(true);
      expect(parsed.data!.cooldownHours).toBe(24);
      return;
    }
    expect(parsed.success).toBe(false);
    const fields: Record<string, string[]> = {};
    for (const issue of parsed.error!.issues) (fields[issue.path.join(".")] ??= []).push(issue.message);
    expect(fields).toEqual(errors);
  });

  it("channels: email takes no address (the account's own), webhooks and ntfy a URL", () => {
    expect(channelInput.parse({ kind: "email" })).toEqual({ kind: "email", name: "Email" });
    expect(channelInput.safeParse({ kind: "email", address: "someone@else.example" }).success).toBe(false);
    expect(channelInput.parse({ kind: "webhook", url: " https://example.com/hook " })).toEqual({ kind: "webhook", name: "Webhook", url: "https://example.com/hook" });
    expect(channelInput.safeParse({ kind: "pigeon" }).success).toBe(false);
  });

  it("preferences: IANA time zones, quiet hours in minutes, a cap", () => {
    expect(preferencesInput.parse({ timeZone: "Europe/London", quietHours: { start: 1_320, end: 420 }, dailyCap: 5 })).toEqual({
      timeZone: "Europe/London",
      quietHours: { start: 1_320, end: 420 },
      dailyCap: 5,
    });
    expect(preferencesInput.safeParse({ timeZone: "Mars/Olympus" }).success).toBe(false);
    expect(preferencesInput.safeParse({ quietHours: { start: 1_440, end: 0 } }).success).toBe(false);
    expect(preferencesInput.parse({ quietHours: null })).toEqual({ quietHours: null });
  });
});

describe("who speaks when several rules fire", () => {
  const fired = (kind: AlertMessage["kind"]) => ({ message: { kind } as AlertMessage });
  it.each([
    [["drop", "new_low"], "new_low"],
    [["drop", "new_low", "below_target"], "below_target"],
    [["insight_low", "drop"], "insight_low"],
    [["drop"], "drop"],
  ] as const)("%j: %s", (kinds, expected) => {
    expect(primaryMessage(kinds.map(fired))!.message.kind).toBe(expected);
  });
  it("none fired: nobody", () => expect(primaryMessage([])).toBeNull());
});

describe("quiet hours and the digest's hour", () => {
  const london = { timeZone: "Europe/London" };
  it("local time of day and date", () => {
    expect(localMinuteOfDay(at("2026-07-01T21:30:00Z"), "Europe/London")).toBe(22 * 60 + 30);
    expect(localMinuteOfDay(at("2026-01-01T21:30:00Z"), "Asia/Tokyo")).toBe(6 * 60 + 30);
    expect(localDay(at("2026-01-01T21:30:00Z"), "Asia/Tokyo")).toBe("2026-01-02");
  });

  it.each([
    // 22:00-07:00 in London (summer: UTC+1)
    ["2026-07-01T21:30:00Z", { start: 1_320, end: 420 }, "2026-07-02T06:00:00.000Z"],
    ["2026-07-01T20:59:00Z", { start: 1_320, end: 420 }, "2026-07-01T20:59:00.000Z"],
    ["2026-07-01T23:10:00Z", { start: 1_320, end: 420 }, "2026-07-02T06:00:00.000Z"],
    ["2026-07-01T12:00:00Z", { start: 1_320, end: 420 }, "2026-07-01T12:00:00.000Z"],
    ["2026-07-01T06:00:00Z", { start: 1_320, end: 420 }, "2026-07-01T06:00:00.000Z"],
    // 13:00-14:00, same day
    ["2026-01-05T13:15:00Z", { start: 780, end: 840 }, "2026-01-05T14:00:00.000Z"],
    ["2026-01-05T14:00:00Z", { start: 780, end: 840 }, "2026-01-05T14:00:00.000Z"],
  ])("due at %s with quiet hours %j: goes at %s", (due, quietHours, expected) => {
    expect(afterQuietHours(at(due), { ...london, quietHours }).toISOString()).toBe(expected);
  });

  it("no quiet hours: at once", () => {
    const due = at("2026-07-01T23:10:07Z");
    expect(afterQuietHours(due, { ...london, quietHours: null })).toBe(due);
  });

  it.each([
    ["2026-07-01T09:30:00Z", 8, "2026-07-01T07:00:00.000Z"],
    ["2026-07-01T06:59:00Z", 8, "2026-06-30T07:00:00.000Z"],
    ["2026-07-01T07:00:00Z", 8, "2026-07-01T07:00:00.000Z"],
  ])("at %s the last digest moment for %s:00 London is %s", (now, digestHour, expected) => {
    expect(lastDigestMoment(at(now), { ...london, digestHour }).toISOString()).toBe(expected);
  });
});
