import { formatAmount } from "@/components/format";
import type { AlertRuleKind, PriceLevel } from "@/server/core/alert-rules";
import type { ChannelKind, DeliveryStatus } from "@/server/core/alerts";

/** Alerts in words, for the pages (shared by server and client components; no server imports). */

interface Amount {
  amount: number;
  currency: string;
}

export interface RuleWords {
  kind: AlertRuleKind;
  target: Amount | null;
  dropPercent: number | null;
  dropAmount: Amount | null;
  floorAmount: Amount | null;
  floorPercent: number | null;
}

/** "Below £300", "Drops 10% or more", "A new low (by 1%)", "Prices turn low". */
export function describeRule(rule: RuleWords): string {
  const money = (a: Amount) => formatAmount(a.amount, a.currency);
  switch (rule.kind) {
    case "below_target":
      return rule.target ? `Below ${money(rule.target)}` : "Below a target";
    case "drop": {
      const by = [rule.dropPercent !== null ? `${rule.dropPercent}%` : null, rule.dropAmount ? money(rule.dropAmount) : null].filter(Boolean).join(" or ");
      return by ? `Drops ${by} or more` : "Drops";
    }
    case "new_low": {
      const by = [rule.floorAmount ? money(rule.floorAmount) : null, rule.floorPercent !== null ? `${rule.floorPercent}%` : null].filter(Boolean).join(" and ");
      return by ? `A new low (by ${by})` : "A new low";
    }
    case "insight_low":
      return "Prices turn low";
  }
}

/** The kinds as the add-rule form offers them. */
export const RULE_KIND_CHOICES: { value: AlertRuleKind; label: string }[] = [
  { value: "below_target", label: "Price below a target" },
  { value: "drop", label: "Price drops by" },
  { value: "new_low", label: "A new low" },
  { value: "insight_low", label: "Prices turn low for this trip" },
];

/** Why a notification fired, one short phrase per rule that did. */
export const REASON_WORDS: Record<AlertRuleKind, string> = {
  below_target: "below your target",
  drop: "a price drop",
  new_low: "a new low",
  insight_low: "prices turned low",
};

/** The primary reason as a sentence's end: "below your target of £300". */
export function describeReason(kind: AlertRuleKind, reference: Amount | null): string {
  const money = reference ? formatAmount(reference.amount, reference.currency) : null;
  switch (kind) {
    case "below_target":
      return money ? `below your target of ${money}` : "below your target";
    case "drop":
      return money ? `down from ${money}` : "a price drop";
    case "new_low":
      return money ? `a new low (the lowest before was ${money})` : "a new low";
    case "insight_low":
      return "prices are low for this trip now";
  }
}

export const LEVEL_WORDS: Record<PriceLevel, string> = { low: "low for this trip", typical: "typical for this trip", high: "high for this trip" };

export const CHANNEL_KIND_WORDS: Record<ChannelKind, string> = { email: "Email", webhook: "Webhook", ntfy: "Phone (ntfy)" };

/** "My receiver (Webhook)"; just "Email" when the name says the kind already. */
export function channelLabel(channel: { name: string; kind: ChannelKind }): string {
  const kind = CHANNEL_KIND_WORDS[channel.kind];
  return channel.name === kind ? kind : `${channel.name} (${kind})`;
}

export interface DeliveryWords {
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
}

/** One channel's delivery of a notification: "sent", "waiting for the daily digest", "failed: …". */
export function describeDelivery(delivery: DeliveryWords): { text: string; tone: "ok" | "wait" | "bad" | "muted" } {
  const code = delivery.lastStatusCode !== null ? ` (${delivery.lastStatusCode})` : "";
  switch (delivery.status) {
    case "sent":
      return { text: "sent", tone: "ok" };
    case "digest":
      return { text: "waiting for the daily digest", tone: "wait" };
    case "pending":
      return delivery.attempts > 0
        ? { text: `retrying after ${delivery.attempts} failed attempt${delivery.attempts > 1 ? "s" : ""}${delivery.lastError ? `: ${delivery.lastError}` : ""}${code}`, tone: "wait" }
        : { text: "waiting to be sent", tone: "wait" };
    case "failed":
      return { text: `failed${delivery.lastError ? `: ${delivery.lastError}` : ""}${code}`, tone: "bad" };
    case "skipped":
      return { text: `skipped${delivery.lastError ? ` (${delivery.lastError})` : ""}`, tone: "muted" };
  }
}

export const TONE_CLASSES = {
  ok: "text-emerald-800 dark:text-emerald-300",
  wait: "text-amber-800 dark:text-amber-300",
  bad: "text-red-700 dark:text-red-400",
  muted: "text-slate-600 dark:text-slate-400",
} as const;

/** Minutes after midnight <-> "HH:MM" (the time inputs' value). */
export function minutesToClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}
