import { z } from "zod";
import { ALERT_RULE_KINDS, DEFAULT_COOLDOWN_HOURS, type AlertMessage, type AlertRuleKind } from "./alert-rules";

/**
 * Alerts as users set them (issue 12): the inputs of rules, channels and preferences as tRPC,
 * REST and the pages take them, and the pure decisions around delivery (which of several fired
 * rules speaks, quiet hours, the digest's hour). Evaluation itself is in alert-rules.ts.
 */

export const CHANNEL_KINDS = ["email", "webhook", "ntfy"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export const DELIVERY_STATUSES = ["pending", "sent", "failed", "skipped", "digest"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const ALERT_MODES = ["instant", "digest"] as const;
export type AlertMode = (typeof ALERT_MODES)[number];

/** Rules per tracked route, channels per user. */
export const MAX_RULES_PER_ROUTE = 10;
export const MAX_CHANNELS_PER_USER = 10;
/** Failures in a row after which a channel is disabled (and its owner told by email). */
export const DISABLE_AFTER_FAILURES = 15;

const percent = z.number().gt(0, "must be more than 0").max(95, "must be at most 95");
const amount = z.number().gt(0, "must be more than 0").max(1_000_000, "must be at most 1,000,000");
const cooldownHours = z.int("must be a whole number of hours").min(0).max(720, "must be at most 720 (30 days)");

/** A rule as set by its owner; amounts in the route's currency, major units (412.50). */
export const alertRuleInput = z
  .object({
    kind: z.enum(ALERT_RULE_KINDS, { error: `must be one of ${ALERT_RULE_KINDS.join(", ")}` }).meta({
      description: "below_target: at or under targetAmount; drop: fell by dropPercent or dropAmount since the last alert (or since tracking began); new_low: beat the lowest price seen by floorAmount and floorPercent; insight_low: the price insight calls it low.",
    }),
    targetAmount: amount.optional().meta({ description: "below_target: the price to alert at or under, in the route's currency." }),
    dropPercent: percent.optional(),
    dropAmount: amount.optional(),
    floorAmount: amount.optional().meta({ description: "new_low: beat the lowest price by at least this much." }),
    floorPercent: percent.optional().meta({ description: "new_low: and by at least this share." }),
    cooldownHours: cooldownHours.default(DEFAULT_COOLDOWN_HOURS).meta({ description: "Hours of silence after an alert." }),
    enabled: z.boolean().default(true),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const extra = (field: keyof typeof rule, kinds: AlertRuleKind[]) => {
      if (rule[field] !== undefined && !kinds.includes(rule.kind)) ctx.addIssue({ code: "custom", path: [field], message: `only for ${kinds.join(" or ")} rules` });
    };
    if (rule.kind === "below_target" && rule.targetAmount === undefined) ctx.addIssue({ code: "custom", path: ["targetAmount"], message: "is required for a below_target rule" });
    if (rule.kind === "drop" && rule.dropPercent === undefined && rule.dropAmount === undefined) {
      ctx.addIssue({ code: "custom", path: ["dropPercent"], message: "a drop rule needs dropPercent or dropAmount" });
    }
    extra("targetAmount", ["below_target"]);
    extra("dropPercent", ["drop"]);
    extra("dropAmount", ["drop"]);
    extra("floorAmount", ["new_low"]);
    extra("floorPercent", ["new_low"]);
  });
export type AlertRuleInput = z.output<typeof alertRuleInput>;

export const updateAlertRuleInput = z.object({ enabled: z.boolean().optional(), cooldownHours: cooldownHours.optional(), targetAmount: amount.optional() }).strict();
export type UpdateAlertRuleInput = z.output<typeof updateAlertRuleInput>;

const channelName = z.string().trim().min(1, "must not be empty").max(80, "must be at most 80 characters");

/** A channel to add. Email goes to the account's own address (no address is taken here). */
export const channelInput = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("email"), name: channelName.default("Email") }).strict(),
    z.object({ kind: z.literal("webhook"), name: channelName.default("Webhook"), url: z.string().trim().max(2_000) }).strict(),
    z
      .object({
        kind: z.literal("ntfy"),
        name: channelName.default("Phone (ntfy)"),
        url: z.string().trim().max(2_000).meta({ description: "The topic's URL, such as https://ntfy.sh/my-flight-alerts-7f3a" }),
        token: z.string().trim().max(200).optional().meta({ description: "An access token for a protected topic." }),
      })
      .strict(),
  ],
  { error: `kind must be one of ${CHANNEL_KINDS.join(", ")}` },
);
export type ChannelInput = z.output<typeof channelInput>;

export const updateChannelInput = z.object({ name: channelName.optional(), enabled: z.boolean().optional() }).strict();
export type UpdateChannelInput = z.output<typeof updateChannelInput>;

const minuteOfDay = z.int().min(0).max(1_439);
const timeZone = z
  .string()
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, "must be an IANA time zone such as Europe/London");

export const preferencesInput = z
  .object({
    mode: z.enum(ALERT_MODES, { error: "must be instant or digest" }).optional().meta({ description: "instant: each alert as it happens; digest: one email a day (other channels stay instant)." }),
    timeZone: timeZone.optional(),
    quietHours: z
      .object({ start: minuteOfDay, end: minuteOfDay })
      .strict()
      .nullable()
      .optional()
      .meta({ description: "Minutes after local midnight; email and phone alerts wait until the end. null: none." }),
    dailyCap: z.int().min(1).max(200).optional().meta({ description: "Most alerts a day on email, webhook and phone; the rest are in the app only." }),
    digestHour: z.int().min(0).max(23).optional(),
  })
  .strict();
export type PreferencesInput = z.output<typeof preferencesInput>;

export interface AlertPreferences {
  mode: AlertMode;
  timeZone: string;
  quietHours: { start: number; end: number } | null;
  dailyCap: number;
  digestHour: number;
}

export const DEFAULT_PREFERENCES: AlertPreferences = { mode: "instant", timeZone: "UTC", quietHours: null, dailyCap: 20, digestHour: 8 };

/** Which fired rule speaks for a check when several do: the one the user set most deliberately. */
const PRIORITY: Record<AlertRuleKind, number> = { below_target: 0, insight_low: 1, new_low: 2, drop: 3 };

export function primaryMessage<T extends { message: AlertMessage }>(fired: T[]): T | null {
  return fired.reduce<T | null>((best, f) => (best === null || PRIORITY[f.message.kind] < PRIORITY[best.message.kind] ? f : best), null);
}

/** Minutes after local midnight at `at` in `timeZone`. */
export function localMinuteOfDay(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(at);
  const value = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return value("hour") * 60 + value("minute");
}

/** The local calendar date at `at` in `timeZone` (YYYY-MM-DD). */
export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/**
 * When a delivery due at `at` may go: at once, or at the end of the owner's quiet hours (which
 * may span midnight, 22:00 to 07:00).
 */
export function afterQuietHours(at: Date, preferences: Pick<AlertPreferences, "quietHours" | "timeZone">): Date {
  const quiet = preferences.quietHours;
  if (!quiet || quiet.start === quiet.end) return at;
  const now = localMinuteOfDay(at, preferences.timeZone);
  const inside = quiet.start < quiet.end ? now >= quiet.start && now < quiet.end : now >= quiet.start || now < quiet.end;
  if (!inside) return at;
  const wait = (quiet.end - now + 1_440) % 1_440;
  const end = new Date(at.getTime() + wait * 60_000);
  end.setUTCSeconds(0, 0);
  return end;
}

/** One sentence on why an alert fired, for every channel's message. */
export function alertReason(message: Pick<AlertMessage, "kind" | "referenceMinor">, format: (minor: number) => string): string {
  switch (message.kind) {
    case "below_target":
      return `below your target of ${format(message.referenceMinor ?? 0)}`;
    case "drop":
      return message.referenceMinor === null ? "a significant drop" : `down from ${format(message.referenceMinor)}`;
    case "new_low":
      return message.referenceMinor === null ? "a new low" : `a new low (the lowest before was ${format(message.referenceMinor)})`;
    case "insight_low":
      return "prices are low for this route now";
  }
}

/**
 * The latest moment the owner's daily digest was due at or before `now` (today at their digest
 * hour if that has passed, else yesterday's): what waited since before it goes out now, what
 * came after waits for the next one. At most one digest a day, even when a run is missed.
 */
export function lastDigestMoment(now: Date, preferences: Pick<AlertPreferences, "timeZone" | "digestHour">): Date {
  const since = (localMinuteOfDay(now, preferences.timeZone) - preferences.digestHour * 60 + 1_440) % 1_440;
  const moment = new Date(now.getTime() - since * 60_000);
  moment.setUTCSeconds(0, 0);
  return moment;
}

const notificationId = z.uuid("must be an id (a UUID)");

export const NOTIFICATIONS_PAGE_MAX = 100;

/** A page of the caller's notifications, as tRPC and GraphQL take it (`cursor`: the last id of the page before). */
export const notificationsPageInput = z
  .object({ limit: z.int().min(1).max(NOTIFICATIONS_PAGE_MAX).default(20), cursor: notificationId.optional(), trackedRouteId: notificationId.optional(), unreadOnly: z.boolean().default(false) })
  .strict();
