import { describe, expect, it } from "vitest";
import { addDays, daysBetween, localDate, toLocalIso, weekday, zonedToUtc, zoneOffsetMinutes } from "./time";

describe("time zones", () => {
  it("converts local wall time to UTC across summer and winter time", () => {
    expect(zonedToUtc("2026-07-01", "10:30", "Europe/London").toISOString()).toBe("2026-07-01T09:30:00.000Z");
    expect(zonedToUtc("2026-12-01", "10:30", "Europe/London").toISOString()).toBe("2026-12-01T10:30:00.000Z");
    expect(zonedToUtc("2026-12-01", "10:30", "America/New_York").toISOString()).toBe("2026-12-01T15:30:00.000Z");
    expect(zonedToUtc("2026-12-01", "00:15", "Asia/Kolkata").toISOString()).toBe("2026-11-30T18:45:00.000Z");
  });

  it("handles the spring-forward gap and the autumn overlap", () => {
    // 2026-03-29 01:30 does not exist in London; it becomes 02:30 BST = 01:30 UTC.
    expect(zonedToUtc("2026-03-29", "01:30", "Europe/London").toISOString()).toBe("2026-03-29T01:30:00.000Z");
    // 2026-10-25 01:30 happens twice in London; the earlier (BST) instant is 00:30 UTC.
    expect(zonedToUtc("2026-10-25", "01:30", "Europe/London").toISOString()).toBe("2026-10-25T00:30:00.000Z");
  });

  it("formats local times with their offset and date", () => {
    const instant = new Date("2026-12-20T23:30:00Z");
    expect(toLocalIso(instant, "Asia/Tokyo")).toBe("2026-12-21T08:30:00+09:00");
    expect(toLocalIso(instant, "America/Los_Angeles")).toBe("2026-12-20T15:30:00-08:00");
    expect(toLocalIso(instant, "Asia/Kathmandu")).toBe("2026-12-21T05:15:00+05:45");
    expect(localDate(instant, "Asia/Tokyo")).toBe("2026-12-21");
    expect(zoneOffsetMinutes(instant, "America/St_Johns")).toBe(-210);
  });

  it("counts days", () => {
    expect(daysBetween("2026-11-22", "2026-12-22")).toBe(30);
    expect(addDays("2026-12-30", 3)).toBe("2027-01-02");
    expect(weekday("2026-11-22")).toBe(0);
  });
});
