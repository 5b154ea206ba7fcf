import { describe, expect, it } from "vitest";
import { MIN_INSIGHT_DAYS, MIN_INSIGHT_SAMPLES, percentile, priceInsight, priceLevel, type PriceStats } from "./insight";

const stats: PriceStats = { currency: "GBP", p25Minor: 40_000, medianMinor: 45_000, p75Minor: 50_000, samples: 200, days: 30, windowDays: 3, lookbackDays: 90 };
const thin = { currency: "GBP", samples: 5, days: 2, lookbackDays: 90 };

describe("price insight", () => {
  it("interpolates percentiles like percentile_cont", () => {
    expect(percentile([10, 20, 30, 40], 0.5)).toBe(25);
    expect(percentile([10, 20, 30, 40, 50], 0.25)).toBe(20);
    expect(percentile([7], 0.75)).toBe(7);
    expect(() => percentile([], 0.5)).toThrow();
  });

  it("is low below the typical range, high above it, typical within (edges included)", () => {
    expect(priceLevel(39_999, stats)).toBe("low");
    expect(priceLevel(40_000, stats)).toBe("typical");
    expect(priceLevel(50_000, stats)).toBe("typical");
    expect(priceLevel(50_001, stats)).toBe("high");
  });

  it("claims nothing when history is thin", () => {
    expect(priceInsight(30_000, null, thin)).toMatchObject({ status: "insufficient", samples: 5, days: 2 });
    expect(priceInsight(30_000, { ...stats, days: MIN_INSIGHT_DAYS - 1 }, thin).status).toBe("insufficient");
    expect(priceInsight(30_000, { ...stats, samples: MIN_INSIGHT_SAMPLES - 1 }, thin).status).toBe("insufficient");
    expect(priceInsight(30_000, stats, thin)).toMatchObject({ status: "ok", level: "low", priceMinor: 30_000, p25Minor: 40_000 });
  });
});
