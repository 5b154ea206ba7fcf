/**
 * Price alert rules (issue 12): when an observation of a tracked route's price should alert its
 * owner. Pure: `evaluateAlerts` takes a rule, its state and the observation and returns the new
 * state and whether to alert; the caller stores the state and the notification in one
 * transaction. Every rule stays silent on its first observation (the baseline), compares prices
 * in the rule's currency only, waits out a cooldown after an alert, and after an alert stays
 * quiet until the price climbs back (it re-arms): never two alerts in a row at the same or a
 * higher price.
 */

export const ALERT_RULE_KINDS = ["below_target", "drop", "new_low", "insight_low"] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

export type PriceLevel = "low" | "typical" | "high";

export interface AlertRule {
  kind: AlertRuleKind;
  currency: string;
  /** below_target: alert when the price is at or under this. */
  targetMinor?: number;
  /** drop: alert when the price fell by at least this share or this amount (either) since the last alert, else since tracking began. */
  dropPercent?: number;
  dropMinor?: number;
  /** new_low: alert when the lowest price seen is beaten by at least this amount and this share (both). */
  floorMinor?: number;
  floorPercent?: number;
  /** Hours after an alert during which the rule stays silent. */
  cooldownHours: number;
}

export const DEFAULT_COOLDOWN_HOURS = 24;

/** What a user gets when they track without choosing: a new low (by 1% at least), or a 10% drop. */
export const DEFAULT_RULES: readonly Omit<AlertRule, "currency">[] = [
  { kind: "new_low", floorPercent: 1, cooldownHours: DEFAULT_COOLDOWN_HOURS },
  { kind: "drop", dropPercent: 10, cooldownHours: DEFAULT_COOLDOWN_HOURS },
];

/** A rule's memory between observations. */
export interface AlertState {
  /** The first price observed: the baseline, set without an alert. */
  baselineMinor: number | null;
  /** The lowest price seen since tracking began. */
  lowestMinor: number | null;
  /** The price and time of the last alert. */
  lastAlertMinor: number | null;
  lastAlertAt: string | null;
  /** False after an alert until the price climbs back (or the insight leaves "low"). */
  armed: boolean;
}

export const INITIAL_ALERT_STATE: AlertState = { baselineMinor: null, lowestMinor: null, lastAlertMinor: null, lastAlertAt: null, armed: true };

/** One check of a tracked route: its lowest price (for a flexible route, across the whole query) and where. */
export interface PriceObservation {
  priceMinor: number;
  currency: string;
  observedAt: string;
  departureDate?: string | null;
  returnDate?: string | null;
  /** The product's low / typical / high verdict for this price, when there is one. */
  level?: PriceLevel | null;
}

export interface AlertMessage {
  kind: AlertRuleKind;
  priceMinor: number;
  /** What it is compared with: the target, the price it dropped from, the low it beat. */
  referenceMinor: number | null;
  currency: string;
  departureDate: string | null;
  returnDate: string | null;
}

export type AlertDecision =
  | { alert: true; state: AlertState; message: AlertMessage }
  | { alert: false; state: AlertState; reason: "baseline" | "currency" | "cooldown" | "disarmed" | "no_change" };

const HOUR_MS = 3_600_000;

/** Whether the rule's condition holds for this price, and what it compares it with. */
function condition(rule: AlertRule, state: AlertState, observation: PriceObservation): { holds: boolean; reference: number | null } {
  const price = observation.priceMinor;
  switch (rule.kind) {
    case "below_target":
      return { holds: rule.targetMinor !== undefined && price <= rule.targetMinor, reference: rule.targetMinor ?? null };
    case "drop": {
      const reference = state.lastAlertMinor ?? state.baselineMinor!;
      const fall = reference - price;
      const byShare = rule.dropPercent !== undefined && reference > 0 && (fall / reference) * 100 >= rule.dropPercent;
      const byAmount = rule.dropMinor !== undefined && fall >= rule.dropMinor;
      return { holds: fall > 0 && (byShare || byAmount), reference };
    }
    case "new_low": {
      const lowest = state.lowestMinor!;
      const needed = Math.max(rule.floorMinor ?? 0, Math.ceil((lowest * (rule.floorPercent ?? 0)) / 100), 1);
      return { holds: lowest - price >= needed, reference: lowest };
    }
    case "insight_low":
      return { holds: observation.level === "low", reference: null };
  }
}

/** Whether a disarmed rule re-arms at this observation: the price climbed back over what it alerted at. */
function rearms(rule: AlertRule, state: AlertState, observation: PriceObservation): boolean {
  if (rule.kind === "insight_low") return observation.level !== "low";
  if (rule.kind === "below_target") return rule.targetMinor !== undefined && observation.priceMinor > rule.targetMinor;
  return state.lastAlertMinor !== null && observation.priceMinor > state.lastAlertMinor;
}

/**
 * The rule's verdict on one observation, and its state afterwards. An observation in another
 * currency changes nothing (a rule compares in its own currency only).
 */
export function evaluateAlerts(rule: AlertRule, state: AlertState, observation: PriceObservation): AlertDecision {
  if (observation.currency !== rule.currency) return { alert: false, state, reason: "currency" };
  const price = observation.priceMinor;
  if (state.baselineMinor === null) {
    return { alert: false, state: { ...state, baselineMinor: price, lowestMinor: price, armed: true }, reason: "baseline" };
  }
  const lowestMinor = Math.min(state.lowestMinor ?? price, price);
  let armed = state.armed || rearms(rule, state, observation);
  const { holds, reference } = condition(rule, state, observation);
  const next = { ...state, lowestMinor, armed };
  if (!holds) return { alert: false, state: next, reason: "no_change" };
  // After an alert, silent until the price has climbed back: never again at the same or a higher price.
  if (!armed) return { alert: false, state: next, reason: "disarmed" };
  if (state.lastAlertAt && Date.parse(observation.observedAt) - Date.parse(state.lastAlertAt) < rule.cooldownHours * HOUR_MS) {
    return { alert: false, state: next, reason: "cooldown" };
  }
  armed = false;
  return {
    alert: true,
    state: { ...next, lastAlertMinor: price, lastAlertAt: observation.observedAt, armed },
    message: {
      kind: rule.kind,
      priceMinor: price,
      referenceMinor: reference,
      currency: rule.currency,
      departureDate: observation.departureDate ?? null,
      returnDate: observation.returnDate ?? null,
    },
  };
}
