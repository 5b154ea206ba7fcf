import { z } from "zod";
import { alertRuleInput, channelInput, notificationsPageInput, preferencesInput, updateAlertRuleInput, updateChannelInput } from "@/server/core/alerts";
import {
  addChannel,
  addRule,
  channelAttempts,
  deleteChannel,
  deleteRule,
  getPreferences,
  listChannels,
  listRules,
  markNotificationsRead,
  notificationsPage,
  getNotification,
  routeChannels,
  setPreferences,
  setRouteChannels,
  testChannel,
  unreadNotifications,
  updateChannel,
  updateRule,
} from "@/server/services/alerts/alerts";
import { createTRPCRouter, ownerProcedure } from "@/server/trpc/init";

const read = ownerProcedure("alerts:read");
const write = ownerProcedure("alerts:write");
const id = z.uuid("must be an id (a UUID)");
const byId = z.object({ id }).strict();
const routeId = z.object({ trackedRouteId: id }).strict();

/** The caller's alerts: rules per tracked route, channels, preferences and notifications (session, or a key with alerts:read / alerts:write). */
export const alertsRouter = createTRPCRouter({
  rules: read.input(routeId).query(({ ctx, input }) => listRules(ctx, ctx.principal.userId, input.trackedRouteId)),
  addRule: write.input(alertRuleInput.and(routeId)).mutation(({ ctx, input: { trackedRouteId, ...rule } }) => addRule(ctx, ctx.principal.userId, trackedRouteId, rule)),
  updateRule: write.input(updateAlertRuleInput.extend(byId.shape)).mutation(({ ctx, input: { id, ...patch } }) => updateRule(ctx, ctx.principal.userId, id, patch)),
  deleteRule: write.input(byId).mutation(async ({ ctx, input }) => {
    await deleteRule(ctx, ctx.principal.userId, input.id);
    return { deleted: true as const };
  }),

  channels: read.query(({ ctx }) => listChannels(ctx, ctx.principal.userId)),
  /** A webhook's signing secret is in the answer, this once. */
  addChannel: write.input(channelInput).mutation(({ ctx, input }) => addChannel(ctx, ctx.principal.userId, input)),
  updateChannel: write.input(updateChannelInput.extend(byId.shape)).mutation(({ ctx, input: { id, ...patch } }) => updateChannel(ctx, ctx.principal.userId, id, patch)),
  deleteChannel: write.input(byId).mutation(async ({ ctx, input }) => {
    await deleteChannel(ctx, ctx.principal.userId, input.id);
    return { deleted: true as const };
  }),
  testChannel: write.input(byId).mutation(({ ctx, input }) => testChannel(ctx, ctx.principal.userId, input.id)),
  channelLog: read.input(byId).query(({ ctx, input }) => channelAttempts(ctx, ctx.principal.userId, input.id)),
  routeChannels: read.input(routeId).query(({ ctx, input }) => routeChannels(ctx, ctx.principal.userId, input.trackedRouteId)),
  setRouteChannels: write
    .input(routeId.extend({ channelIds: z.array(id).max(50) }))
    .mutation(async ({ ctx, input }) => {
      await setRouteChannels(ctx, ctx.principal.userId, input.trackedRouteId, input.channelIds);
      return routeChannels(ctx, ctx.principal.userId, input.trackedRouteId);
    }),

  preferences: read.query(({ ctx }) => getPreferences(ctx, ctx.principal.userId)),
  setPreferences: write.input(preferencesInput).mutation(({ ctx, input }) => setPreferences(ctx, ctx.principal.userId, input)),

  notifications: read
    .input(notificationsPageInput)
    .query(({ ctx, input }) => notificationsPage(ctx, ctx.principal.userId, input)),
  unread: read.query(async ({ ctx }) => ({ unread: await unreadNotifications(ctx, ctx.principal.userId) })),
  notification: read.input(byId).query(({ ctx, input }) => getNotification(ctx, ctx.principal.userId, input.id)),
  markRead: write
    .input(z.object({ ids: z.union([z.array(id).min(1).max(100), z.literal("all")]) }).strict())
    .mutation(({ ctx, input }) => markNotificationsRead(ctx, ctx.principal.userId, input.ids)),
});
