import { describe, expect, it } from "vitest";
import { evaluateAlerts, INITIAL_ALERT_STATE, type AlertDecision, type AlertRule, type PriceLevel } from "./alert-rules";

const day = (n: number, hour = 12) => new Date(Date.UTC(2026, 11, 1 + n, hour)).toISOString();

/** Feeds prices (minor units; a level when given) to a rule in order, a day apart; returns each decision. */
function run(rule: AlertRule, prices: (number | [number, PriceLevel] | { price: number; currency?: string; at?: string })[]): AlertDecision[] {
  let state = INITIAL_ALERT_STATE;
  return prices.map((entry, i) => {
    const given: { price: number; level?: PriceLevel; currency?: string; at?: string } = typeof entry === "number" ? { price: entry } : Array.isArray(entry) ? { price: entry[0], level: entry[1] } : entry;
    const decision = evaluateAlerts(rule, state, { priceMinor: given.price, currency: given.currency ?? rule.currency, observedAt: given.at ?? day(i), level: given.level ?? null, departureDate: "2027-03-01" });
    state = decision.state;
    return decision;
  });
}
const alerts = (decisions: AlertDecision[]) => decisions.map((d) => (d.alert ? "ALERT" : d.reason));

describe("below a target", () => {
  const rule: AlertRule = { kind: "below_target", targetMinor: 30_000, currency: "GBP", cooldownHours: 24 };

  it.each([
    ["silent on the first observation, even under the target", [29_000, 28_000], ["baseline", "ALERT"]],
    ["alerts once under it, not again while it stays under", [35_000, 29_900, 29_000, 28_000], ["baseline", "ALERT", "disarmed", "disarmed"]],
    ["at the target exactly counts", [35_000, 30_000], ["baseline", "ALERT"]],
    ["re-arms once back over the target", [35_000, 29_000, 31_000, 29_500], ["baseline", "ALERT", "no_change", "ALERT"]],
    ["nothing while it stays over", [35_000, 34_000, 30_001], ["baseline", "no_change", "no_change"]],
  ] as const)("%s", (_name, prices, expected) => {
    expect(alerts(run(rule, [...prices]))).toEqual(expected);
  });

  it("says what it compared with, and for which dates", () => {
    const [, second] = run(rule, [35_000, 29_000]);
    expect(second).toMatchObject({ alert: true, message: { kind: "below_target", priceMinor: 29_000, referenceMinor: 30_000, currency: "GBP", departureDate: "2027-03-01" } });
  });

  it("waits out the cooldown after an alert, even once re-armed", () => {
    const decisions = run(rule, [
      { price: 35_000, at: day(0) },
      { price: 29_000, at: day(1, 0) },
      { price: 31_000, at: day(1, 6) },
      { price: 28_000, at: day(1, 12) },
      { price: 27_000, at: day(2, 1) },
    ]);
    expect(alerts(decisions)).toEqual(["baseline", "ALERT", "no_change", "cooldown", "ALERT"]);
  });
});

describe("a drop", () => {
  it.each([
    ["by a share, since tracking began", { dropPercent: 10 }, [50_000, 46_000, 45_000], ["baseline", "no_change", "ALERT"]],
    ["by an amount", { dropMinor: 2_000 }, [50_000, 48_500, 48_000], ["baseline", "no_change", "ALERT"]],
    ["either suffices", { dropPercent: 50, dropMinor: 1_000 }, [50_000, 49_000], ["baseline", "ALERT"]],
    // The next drop is measured from the alert's price, and only once the price climbed back over it.
    ["since the last alert, after climbing back", { dropPercent: 10 }, [50_000, 45_000, 44_000, 46_000, 40_000], ["baseline", "ALERT", "no_change", "no_change", "ALERT"]],
    ["a further fall without climbing back stays silent", { dropPercent: 10 }, [50_000, 45_000, 40_000, 35_000], ["baseline", "ALERT", "disarmed", "disarmed"]],
    ["measured from the baseline, not the last price: back down from a rise is no drop", { dropMinor: 1 }, [50_000, 51_000, 50_000, 49_999], ["baseline", "no_change", "no_change", "ALERT"]],
  ] as const)("%s", (_name, options, prices, expected) => {
    const rule: AlertRule = { kind: "drop", currency: "EUR", cooldownHours: 24, ...options };
    expect(alerts(run(rule, [...prices]))).toEqual(expected);
  });
});

describe("a new low", () => {
  it.each([
    ["beats the lowest seen by the floor", { floorMinor: 500 }, [40_000, 42_000, 39_400], ["baseline", "no_change", "ALERT"]],
    // Creeping lows never alert this rule (each is the low to beat next); the drop rule catches them.
    ["a low by less than the floor is no alert, and becomes the low to beat", { floorMinor: 500 }, [40_000, 39_800, 39_400, 39_200, 38_700], ["baseline", "no_change", "no_change", "no_change", "ALERT"]],
    ["the larger floor counts", { floorMinor: 100, floorPercent: 5 }, [40_000, 38_500, 36_000], ["baseline", "no_change", "ALERT"]],
    ["any cheaper price with no floor", {}, [40_000, 39_999], ["baseline", "ALERT"]],
    ["the same price is never a new low", {}, [40_000, 40_000], ["baseline", "no_change"]],
  ] as const)("%s", (_name, options, prices, expected) => {
    const rule: AlertRule = { kind: "new_low", currency: "USD", cooldownHours: 0, ...options };
    expect(alerts(run(rule, [...prices]))).toEqual(expected);
  });

  it("reports the low it beat", () => {
    const rule: AlertRule = { kind: "new_low", currency: "USD", cooldownHours: 24, floorPercent: 1 };
    const decisions = run(rule, [40_000, 41_000, 39_000]);
    expect(decisions[2]).toMatchObject({ alert: true, message: { referenceMinor: 40_000, priceMinor: 39_000 } });
    expect(decisions[2]!.state).toMatchObject({ lowestMinor: 39_000, lastAlertMinor: 39_000, armed: false });
  });
});

describe("the price turns low", () => {
  const rule: AlertRule = { kind: "insight_low", currency: "GBP", cooldownHours: 24 };

  it("alerts when the verdict turns low, once, and again only after it left low", () => {
    expect(alerts(run(rule, [[30_000, "typical"], [25_000, "low"], [24_000, "low"], [29_000, "typical"], [25_500, "low"]]))).toEqual([
      "baseline",
      "ALERT",
      "disarmed",
      "no_change",
      "ALERT",
    ]);
  });

  it("no verdict (too little history) is no alert", () => {
    expect(alerts(run(rule, [30_000, 20_000]))).toEqual(["baseline", "no_change"]);
  });
});

describe("currencies", () => {
  it("an observation in another currency changes nothing: no baseline, no alert", () => {
    const rule: AlertRule = { kind: "below_target", targetMinor: 30_000, currency: "GBP", cooldownHours: 24 };
    const decisions = run(rule, [{ price: 20_000, currency: "EUR" }, 35_000, { price: 10_000, currency: "USD" }, 29_000]);
    expect(alerts(decisions)).toEqual(["currency", "baseline", "currency", "ALERT"]);
    expect(decisions[0]!.state).toEqual(INITIAL_ALERT_STATE);
    expect(decisions[2]!.state.lowestMinor).toBe(35_000);
  });
});
