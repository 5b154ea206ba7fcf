"use server";

import type { Route } from "next";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { currentViewer } from "@/server/auth/viewer";
import { alertRuleInput, channelInput, preferencesInput } from "@/server/core/alerts";
import { DomainError, ValidationError, type FieldErrors } from "@/server/core/errors";
import { signInHref } from "@/server/core/links";
import { getAppContext } from "@/server/context";
import { toDomainError } from "@/server/errors";
import { inActionScope } from "@/server/http/action-scope";
import {
  addChannel,
  addRule,
  deleteChannel,
  deleteRule,
  markNotificationsRead,
  setPreferences,
  setRouteChannels,
  testChannel,
  updateChannel,
  updateRule,
} from "@/server/services/alerts/alerts";

/**
 * The alert pages' actions: rules on a tracked route (the Tracked page), channels and
 * preferences (/alerts), marking notifications read (/notifications). Forms: they work without
 * JavaScript; Next refuses a server action posted from another site.
 */

export interface AlertFormState {
  /** A line saying it worked ("Saved."). */
  message?: string;
  /** A line saying it did not. */
  error?: string;
  /** Messages per field, shown next to the fields. */
  fields?: FieldErrors;
  /** What was typed, put back in the form (React resets a form after its action). */
  values?: Record<string, string>;
  /** A new webhook's signing secret: in this answer only, never again. */
  secret?: { channelName: string; value: string };
  /** The outcome of "Send test". */
  test?: { ok: boolean; status: number | null; error: string | null; durationMs: number };
}

const id = z.uuid("must be an id");

async function signedIn(returnTo: string): Promise<string> {
  const viewer = await currentViewer();
  if (!viewer) redirect(signInHref(returnTo) as Route);
  return viewer.id;
}

function idOf(form: FormData, name = "id"): string {
  return id.parse(form.get(name));
}

/** A form's failure: the messages per field for bad input, else the error's own line. */
function failure(error: unknown, values?: Record<string, string>): AlertFormState {
  // redirect() and notFound() throw; they are not failures of the form.
  if (typeof (error as { digest?: unknown })?.digest === "string") throw error;
  const domain = error instanceof DomainError ? error : toDomainError(error, "alerts action");
  if (domain instanceof ValidationError) return { error: "Check the fields marked.", fields: domain.fields, values };
  return { error: domain.message, values };
}

/** The text fields of a form, to put back after a failure. */
function valuesOf(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of form.entries()) if (typeof value === "string" && !key.startsWith("$ACTION")) values[key] = value;
  return values;
}

/** A number field: absent or blank is undefined; anything else a number (NaN fails validation). */
function numberField(form: FormData, name: string): number | undefined {
  const value = form.get(name);
  if (typeof value !== "string" || value.trim() === "") return undefined;
  return Number(value.trim());
}

// ---- Rules (the Tracked page) ----

/** The fields each kind takes: the others of the form are ignored (the schema refuses them). */
const RULE_FIELDS = {
  below_target: ["targetAmount"],
  drop: ["dropPercent", "dropAmount"],
  new_low: ["floorPercent", "floorAmount"],
  insight_low: [],
} as const;

export async function addRuleAction(_previous: AlertFormState, form: FormData): Promise<AlertFormState> {
  const values = valuesOf(form);
  try {
    const userId = await signedIn("/tracked");
    const trackedRouteId = idOf(form, "trackedRouteId");
    const kind = String(form.get("kind") ?? "");
    const input: Record<string, unknown> = { kind };
    for (const field of RULE_FIELDS[kind as keyof typeof RULE_FIELDS] ?? []) input[field] = numberField(form, field);
    const cooldown = numberField(form, "cooldownHours");
    if (cooldown !== undefined) input.cooldownHours = cooldown;
    const rule = alertRuleInput.parse(input);
    await inActionScope(async () => addRule(await getAppContext(), userId, trackedRouteId, rule));
    revalidatePath("/tracked");
    return { message: "Rule added." };
  } catch (error) {
    return failure(error, values);
  }
}

export async function setRuleEnabledAction(form: FormData): Promise<void> {
  const userId = await signedIn("/tracked");
  const enabled = form.get("enabled") === "true";
  await inActionScope(async () => updateRule(await getAppContext(), userId, idOf(form), { enabled }));
  revalidatePath("/tracked");
}

export async function deleteRuleAction(form: FormData): Promise<void> {
  const userId = await signedIn("/tracked");
  await inActionScope(async () => deleteRule(await getAppContext(), userId, idOf(form)));
  revalidatePath("/tracked");
}

/** The channels a route alerts on: the boxes ticked; the others are muted for it. */
export async function setRouteChannelsAction(_previous: AlertFormState, form: FormData): Promise<AlertFormState> {
  try {
    const userId = await signedIn("/tracked");
    const trackedRouteId = idOf(form, "trackedRouteId");
    const channelIds = z.array(id).max(50).parse(form.getAll("channelIds"));
    await inActionScope(async () => setRouteChannels(await getAppContext(), userId, trackedRouteId, channelIds));
    revalidatePath("/tracked");
    return { message: "Saved." };
  } catch (error) {
    return failure(error);
  }
}

// ---- Channels (/alerts) ----

export async function addChannelAction(_previous: AlertFormState, form: FormData): Promise<AlertFormState> {
  const values = valuesOf(form);
  try {
    const userId = await signedIn("/alerts");
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === "string" && value.trim() !== "" ? value : undefined;
    };
    const input = channelInput.parse({
      kind: form.get("kind"),
      ...(text("name") ? { name: text("name") } : {}),
      ...(form.get("kind") === "email" ? {} : { url: text("url") ?? "" }),
      ...(form.get("kind") === "ntfy" && text("token") ? { token: text("token") } : {}),
    });
    const made = await inActionScope(async () => addChannel(await getAppContext(), userId, input));
    revalidatePath("/alerts");
    revalidatePath("/tracked");
    return { message: `Added “${made.channel.name}”.`, ...(made.secret ? { secret: { channelName: made.channel.name, value: made.secret } } : {}) };
  } catch (error) {
    return failure(error, values);
  }
}

export async function setChannelEnabledAction(form: FormData): Promise<void> {
  const userId = await signedIn("/alerts");
  const enabled = form.get("enabled") === "true";
  await inActionScope(async () => updateChannel(await getAppContext(), userId, idOf(form), { enabled }));
  revalidatePath("/alerts");
  revalidatePath("/tracked");
}

export async function deleteChannelAction(form: FormData): Promise<void> {
  const userId = await signedIn("/alerts");
  await inActionScope(async () => deleteChannel(await getAppContext(), userId, idOf(form)));
  revalidatePath("/alerts");
  revalidatePath("/tracked");
}

export async function testChannelAction(_previous: AlertFormState, form: FormData): Promise<AlertFormState> {
  try {
    const userId = await signedIn("/alerts");
    const outcome = await inActionScope(async () => testChannel(await getAppContext(), userId, idOf(form)));
    revalidatePath("/alerts");
    return { test: outcome };
  } catch (error) {
    return failure(error);
  }
}

// ---- Preferences (/alerts) ----

/** "22:30" -> 1350; anything else is a message for the field. */
function minuteOfDay(value: FormDataEntryValue | null): number | string {
  const match = typeof value === "string" ? /^(\d{1,2}):(\d{2})$/.exec(value.trim()) : null;
  if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) return "must be a time such as 22:00";
  return Number(match[1]) * 60 + Number(match[2]);
}

export async function savePreferencesAction(_previous: AlertFormState, form: FormData): Promise<AlertFormState> {
  const values = valuesOf(form);
  try {
    const userId = await signedIn("/alerts");
    let quietHours: { start: number; end: number } | null = null;
    if (form.get("quiet") === "on") {
      const start = minuteOfDay(form.get("quietStart"));
      const end = minuteOfDay(form.get("quietEnd"));
      const fields: FieldErrors = {};
      if (typeof start === "string") fields.quietStart = [start];
      if (typeof end === "string") fields.quietEnd = [end];
      if (Object.keys(fields).length) throw new ValidationError(fields);
      quietHours = { start: start as number, end: end as number };
    }
    const input = preferencesInput.parse({
      mode: form.get("mode") ?? undefined,
      timeZone: form.get("timeZone") ?? undefined,
      quietHours,
      dailyCap: numberField(form, "dailyCap"),
      digestHour: numberField(form, "digestHour"),
    });
    await inActionScope(async () => setPreferences(await getAppContext(), userId, input));
    revalidatePath("/alerts");
    return { message: "Preferences saved.", values };
  } catch (error) {
    return failure(error, values);
  }
}

// ---- Notifications ----

export async function markAllReadAction(): Promise<void> {
  const userId = await signedIn("/notifications");
  await inActionScope(async () => markNotificationsRead(await getAppContext(), userId, "all"));
  // The header's count is on every page.
  revalidatePath("/", "layout");
}
