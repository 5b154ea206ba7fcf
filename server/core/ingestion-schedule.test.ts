import { describe, expect, it } from "vitest";
import { cadenceHours, DEFAULT_CADENCE, expandFlexible, MAX_QUERIES_PER_ROUTE, nextDueAt, nextRefresh, parseCadence } from "./ingestion-schedule";

describe("the cadence by days to departure", () => {
  it.each([
    [200, 12],
    [61, 12],
    [60, 12],
    [59, 6],
    [14, 6],
    [13, 2],
    [0, 2],
    [-1, null],
  ])("%i days out: every %s h", (days, hours) => {
    expect(cadenceHours(days)).toBe(hours);
  });

  it("reads a configured cadence, farthest tier first, and says what is wrong with a bad one", () => {
    expect(parseCadence("0:2, 60:12,14:6")).toEqual({ ok: true, tiers: [...DEFAULT_CADENCE] });
    expect(parseCadence("30:1,0:0.5")).toEqual({ ok: true, tiers: [{ fromDays: 30, everyHours: 1 }, { fromDays: 0, everyHours: 0.5 }] });
    expect(parseCadence("0:3m")).toEqual({ ok: true, tiers: [{ fromDays: 0, everyHours: 0.05 }] });
    for (const [text, error] of [
      ["60:12,14:6", /start at 0 days/],
      ["60-12,0:2", /not days:hours/],
      ["0:2,0:3", /given twice/],
      ["0:0.01", /from 1 minute to 168 hours/],
      ["0:500", /from 1 minute to 168 hours/],
      ["0:0.5m", /from 1 minute to 168 hours/],
      ["", /start at 0 days/],
    ] as const) {
      const parsed = parseCadence(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(error);
    }
  });
});

describe("the next refresh after an observation", () => {
  it("is a period of the departure's tier later, or a year away once it has left", () => {
    const at = new Date("2026-11-23T10:00:00Z");
    const hoursAfter = (departure: string) => (nextRefresh(42, departure, at).getTime() - at.getTime()) / 3_600_000;
    expect(hoursAfter("2026-11-30")).toBeGreaterThanOrEqual(1.8);
    expect(hoursAfter("2026-11-30")).toBeLessThanOrEqual(2.2);
    expect(hoursAfter("2027-03-01")).toBeGreaterThanOrEqual(10.8);
    expect(hoursAfter("2026-11-22")).toBe(365 * 24);
  });
});

describe("when a query is next due", () => {
  const now = new Date("2026-11-23T12:00:00Z");
  const hour = 3_600_000;

  it("spreads never-observed queries over their first period, each always at the same place", () => {
    const due = Array.from({ length: 1000 }, (_, i) => nextDueAt(`LHR-JFK-${i}`, 6, null, now).getTime() - now.getTime());
    expect(Math.min(...due)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...due)).toBeLessThan(6 * hour);
    // Evenly: each hour of the six gets roughly a sixth.
    const perHour = Array.from({ length: 6 }, (_, h) => due.filter((d) => d >= h * hour && d < (h + 1) * hour).length);
    for (const count of perHour) expect(count).toBeGreaterThan(120);
    expect(nextDueAt("LHR-JFK-7", 6, null, now)).toEqual(nextDueAt("LHR-JFK-7", 6, null, now));
  });

  it("is one period after the last observation, moved by at most a tenth either way, differently per query", () => {
    const last = new Date("2026-11-23T09:00:00Z");
    const offsets = Array.from({ length: 500 }, (_, i) => nextDueAt(`q${i}`, 12, last, now).getTime() - last.getTime() - 12 * hour);
    expect(Math.max(...offsets.map(Math.abs))).toBeLessThanOrEqual(1.2 * hour);
    expect(new Set(offsets).size).toBeGreaterThan(450);
    expect(offsets.some((o) => o < 0) && offsets.some((o) => o > 0)).toBe(true);
  });
});

describe("a flexible tracked route's searches", () => {
  it("is every departure in the window from today on, times every length of stay", () => {
    expect(expandFlexible({ departFrom: "2026-12-01", departTo: "2026-12-03" }, "2026-11-23")).toEqual([
      { departureDate: "2026-12-01" },
      { departureDate: "2026-12-02" },
      { departureDate: "2026-12-03" },
    ]);
    expect(expandFlexible({ departFrom: "2026-12-01", departTo: "2026-12-02", nights: { min: 5, max: 6 } }, "2026-11-23")).toEqual([
      { departureDate: "2026-12-01", returnDate: "2026-12-06" },
      { departureDate: "2026-12-01", returnDate: "2026-12-07" },
      { departureDate: "2026-12-02", returnDate: "2026-12-07" },
      { departureDate: "2026-12-02", returnDate: "2026-12-08" },
    ]);
  });

  it("leaves out the days already gone, and is empty once the whole window has", () => {
    expect(expandFlexible({ departFrom: "2026-11-20", departTo: "2026-11-24" }, "2026-11-23").map((p) => p.departureDate)).toEqual(["2026-11-23", "2026-11-24"]);
    expect(expandFlexible({ departFrom: "2026-11-01", departTo: "2026-11-22" }, "2026-11-23")).toEqual([]);
  });

  it("past the limit keeps evenly spaced searches across the whole window, its first and last included", () => {
    // A whole month of departures with 5-9 nights: 31 × 5 = 155 searches, kept to 60.
    const pairs = expandFlexible({ departFrom: "2027-01-01", departTo: "2027-01-31", nights: { min: 5, max: 9 } }, "2026-11-23");
    expect(pairs).toHaveLength(MAX_QUERIES_PER_ROUTE);
    expect(pairs[0]).toEqual({ departureDate: "2027-01-01", returnDate: "2027-01-06" });
    expect(pairs.at(-1)).toEqual({ departureDate: "2027-01-31", returnDate: "2027-02-09" });
    expect(new Set(pairs.map((p) => p.departureDate)).size).toBeGreaterThan(25);
    expect(new Set(pairs.map((p) => `${p.departureDate}/${p.returnDate}`)).size).toBe(MAX_QUERIES_PER_ROUTE);
  });
});
