import { CHANNEL_KINDS, DELIVERY_STATUSES, NOTIFICATIONS_PAGE_MAX, notificationsPageInput } from "@/server/core/alerts";
import { PRICE_LEVELS } from "@/server/core/insight";
import { TRACKED_KINDS, TRACKED_STATUSES, trackedRouteIdInput, trackRouteInput, updateTrackedRouteInput } from "@/server/core/tracking";
import { builder } from "@/server/graphql/builder";
import { owner } from "@/server/graphql/access";
import { notificationsPage, type NotificationView } from "@/server/services/alerts/alerts";
import { getTrackedRoute, listTracked, trackRoute, untrack, updateTracked, type TrackedRouteView } from "@/server/services/tracking/tracked-routes";
import { CabinClass, enumValues, Money, PageInfo, parseArgs, withoutNulls } from "./common";

const TrackedKind = builder.enumType("TrackedKind", {
  description: "EXACT: these dates; FLEXIBLE: the lowest price across a window of departures; ITINERARY: these flights only.",
  values: enumValues(TRACKED_KINDS),
});
const TrackedStatus = builder.enumType("TrackedStatus", { values: enumValues(TRACKED_STATUSES) });
const TrackedState = builder.enumType("TrackedState", { description: "ACTIVE, PAUSED, or EXPIRED once its last departure has passed.", values: enumValues([...TRACKED_STATUSES, "expired"] as const) });

const Nights = builder.objectRef<{ min: number; max: number }>("Nights").implement({
  fields: (t) => ({ min: t.exposeInt("min"), max: t.exposeInt("max") }),
});

const Passengers = builder.objectRef<TrackedRouteView["passengers"]>("Passengers").implement({
  fields: (t) => ({ adults: t.exposeInt("adults"), children: t.exposeInt("children"), infants: t.exposeInt("infants") }),
});

const TrackedFilters = builder.objectRef<TrackedRouteView["filters"]>("TrackedFilters").implement({
  fields: (t) => ({
    maxStops: t.exposeInt("maxStops", { nullable: true }),
    airlines: t.exposeStringList("airlines", { nullable: true }),
  }),
});

const TrackedPrice = builder.objectRef<NonNullable<TrackedRouteView["price"]>>("TrackedPrice").implement({
  description: "The lowest price found at the last check (total for the party).",
  fields: (t) => ({
    amount: t.exposeFloat("amount"),
    currency: t.exposeString("currency"),
    departureDate: t.expose("departureDate", { type: "Date", nullable: true }),
    returnDate: t.expose("returnDate", { type: "Date", nullable: true }),
    itineraryKey: t.exposeString("itineraryKey", { nullable: true }),
    provider: t.exposeString("provider", { nullable: true }),
    simulated: t.exposeBoolean("simulated"),
  }),
});

const PriceChange = builder.objectRef<TrackedRouteView["change"]>("PriceChange").implement({
  description: "In the route's currency; negative: cheaper.",
  fields: (t) => ({
    sinceFirst: t.field({ type: Money, nullable: true, resolve: (c) => c.sinceFirst }),
    sinceLast: t.field({ type: Money, nullable: true, resolve: (c) => c.sinceLast }),
  }),
});

const HistoryPoint = builder.objectRef<TrackedRouteView["history"][number]>("TrackedPricePoint").implement({
  fields: (t) => ({ at: t.expose("at", { type: "DateTime" }), amount: t.exposeFloat("amount") }),
});

const TrackedRoute = builder.objectRef<TrackedRouteView>("TrackedRoute").implement({
  description: "A route the caller tracks: the scheduler checks its price and alert rules watch it.",
  fields: (t) => ({
    id: t.exposeID("id"),
    kind: t.field({ type: TrackedKind, resolve: (r) => r.kind }),
    status: t.field({ type: TrackedStatus, resolve: (r) => r.status }),
    state: t.field({ type: TrackedState, resolve: (r) => r.state }),
    originCode: t.exposeString("originCode"),
    destinationCode: t.exposeString("destinationCode"),
    departureDate: t.expose("departureDate", { type: "Date", nullable: true }),
    returnDate: t.expose("returnDate", { type: "Date", nullable: true }),
    departFrom: t.expose("departFrom", { type: "Date", nullable: true }),
    departTo: t.expose("departTo", { type: "Date", nullable: true }),
    nights: t.field({ type: Nights, nullable: true, resolve: (r) => r.nights }),
    cabin: t.field({ type: CabinClass, resolve: (r) => r.cabin }),
    passengers: t.field({ type: Passengers, resolve: (r) => r.passengers }),
    currency: t.exposeString("currency"),
    filters: t.field({ type: TrackedFilters, resolve: (r) => r.filters }),
    flightNumbers: t.exposeStringList("flightNumbers", { nullable: true }),
    price: t.field({ type: TrackedPrice, nullable: true, resolve: (r) => r.price }),
    change: t.field({ type: PriceChange, resolve: (r) => r.change }),
    lastCheckedAt: t.expose("lastCheckedAt", { type: "DateTime", nullable: true }),
    nextCheckAt: t.expose("nextCheckAt", { type: "DateTime", nullable: true }),
    history: t.field({ type: [HistoryPoint], description: "The price at each hourly check over the last 30 days, oldest first.", complexity: { field: 1, multiplier: 30 }, resolve: (r) => r.history }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

const NightsInput = builder.inputType("NightsInput", {
  fields: (t) => ({ min: t.int({ required: true }), max: t.int({ required: true }) }),
});

const definitionFields = {
  departureDate: "exact and itinerary: the outbound date.",
  returnDate: "exact and itinerary: the return date of a round trip.",
  departFrom: "flexible: the first departure date of the window.",
  departTo: "flexible: the last departure date.",
} as const;

const TrackRouteInput = builder.inputType("TrackRouteInput", {
  fields: (t) => ({
    kind: t.field({ type: TrackedKind, required: true }),
    originCode: t.string({ required: true, description: "IATA airport or metropolitan code of departure." }),
    destinationCode: t.string({ required: true }),
    ...Object.fromEntries(Object.entries(definitionFields).map(([name, description]) => [name, t.field({ type: "Date", description })])),
    nights: t.field({ type: NightsInput, description: "flexible round trips: nights away; omit for one-way." }),
    cabin: t.field({ type: CabinClass }),
    adults: t.int(),
    children: t.int(),
    infants: t.int(),
    currency: t.string(),
    maxStops: t.int(),
    airlines: t.stringList(),
    flightNumbers: t.stringList({ description: "itinerary: its flight numbers, outbound then return (BA117)." }),
  }),
});

const UpdateTrackedRouteInput = builder.inputType("UpdateTrackedRouteInput", {
  description: "Pause (status PAUSED), resume, or redefine; null clears returnDate, nights, maxStops and airlines. A new definition starts the route's price history again.",
  fields: (t) => ({
    status: t.field({ type: TrackedStatus }),
    ...Object.fromEntries(Object.entries(definitionFields).map(([name, description]) => [name, t.field({ type: "Date", description })])),
    nights: t.field({ type: NightsInput }),
    cabin: t.field({ type: CabinClass }),
    adults: t.int(),
    children: t.int(),
    infants: t.int(),
    maxStops: t.int(),
    airlines: t.stringList(),
    flightNumbers: t.stringList(),
  }),
});

const routeId = (id: string | number) => parseArgs(trackedRouteIdInput, { id: String(id) }).id;

builder.queryField("trackedRoutes", (t) =>
  t.field({
    type: [TrackedRoute],
    description: "The caller's tracked routes (a session, or an API key with tracking:read).",
    complexity: { field: 5, multiplier: 20 },
    resolve: (_root, _args, ctx) => listTracked(ctx, owner(ctx, "tracking:read").userId),
  }),
);

builder.queryField("trackedRoute", (t) =>
  t.field({
    type: TrackedRoute,
    nullable: true,
    description: "One of the caller's tracked routes; null with a NOT_FOUND error for another user's.",
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => getTrackedRoute(ctx, owner(ctx, "tracking:read").userId, routeId(args.id)),
  }),
);

builder.mutationField("trackRoute", (t) =>
  t.field({
    type: TrackedRoute,
    description: "Tracks a route (a session, or an API key with tracking:write).",
    args: { input: t.arg({ type: TrackRouteInput, required: true }) },
    resolve: (_root, args, ctx) => {
      const { userId } = owner(ctx, "tracking:write");
      return trackRoute(ctx, userId, parseArgs(trackRouteInput, withoutNulls(args.input)));
    },
  }),
);

builder.mutationField("updateTrackedRoute", (t) =>
  t.field({
    type: TrackedRoute,
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateTrackedRouteInput, required: true }) },
    resolve: (_root, args, ctx) => {
      const { userId } = owner(ctx, "tracking:write");
      return updateTracked(ctx, userId, routeId(args.id), parseArgs(updateTrackedRouteInput, args.input));
    },
  }),
);

builder.mutationField("untrackRoute", (t) =>
  t.field({
    type: "ID",
    description: "Stops tracking a route, with its rules and notifications; answers its id.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const { userId } = owner(ctx, "tracking:write");
      const id = routeId(args.id);
      await untrack(ctx, userId, id);
      return id;
    },
  }),
);

// ---- Notifications ----

const Delivery = builder.objectRef<NotificationView["deliveries"][number]>("Delivery").implement({
  description: "A notification's delivery on one of the caller's channels.",
  fields: (t) => ({
    channelId: t.exposeID("channelId"),
    kind: t.field({ type: builder.enumType("ChannelKind", { values: enumValues(CHANNEL_KINDS) }), resolve: (d) => d.kind }),
    name: t.exposeString("name"),
    status: t.field({ type: builder.enumType("DeliveryStatus", { values: enumValues(DELIVERY_STATUSES) }), resolve: (d) => d.status }),
    attempts: t.exposeInt("attempts"),
    lastStatusCode: t.exposeInt("lastStatusCode", { nullable: true }),
    lastError: t.exposeString("lastError", { nullable: true }),
    sentAt: t.expose("sentAt", { type: "DateTime", nullable: true }),
  }),
});

const Notification = builder.objectRef<NotificationView>("Notification").implement({
  description: "A price alert: written once when a rule fired, then delivered on the route's channels.",
  fields: (t) => ({
    id: t.exposeID("id"),
    trackedRouteId: t.exposeID("trackedRouteId"),
    kind: t.exposeString("kind"),
    reasons: t.exposeStringList("reasons", { description: "The rules that fired (target, drop, new_low, insight_low)." }),
    price: t.field({ type: Money, resolve: (n) => n.price }),
    simulated: t.boolean({ resolve: (n) => n.price.simulated }),
    previousPrice: t.field({ type: Money, nullable: true, resolve: (n) => n.previousPrice }),
    reference: t.field({ type: Money, nullable: true, description: "The price the rule compared against.", resolve: (n) => n.reference }),
    departureDate: t.expose("departureDate", { type: "Date", nullable: true }),
    returnDate: t.expose("returnDate", { type: "Date", nullable: true }),
    level: t.field({ type: builder.enumType("NotificationPriceLevel", { values: enumValues(PRICE_LEVELS) }), nullable: true, resolve: (n) => n.level }),
    originCode: t.string({ resolve: (n) => n.route.originCode }),
    destinationCode: t.string({ resolve: (n) => n.route.destinationCode }),
    observedAt: t.expose("observedAt", { type: "DateTime" }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    read: t.exposeBoolean("read"),
    deliveries: t.field({ type: [Delivery], complexity: { field: 1, multiplier: 3 }, resolve: (n) => n.deliveries }),
  }),
});

interface NotificationConnectionValue {
  edges: { node: NotificationView; cursor: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  unreadCount: number;
}

const NotificationEdge = builder.objectRef<NotificationConnectionValue["edges"][number]>("NotificationEdge").implement({
  fields: (t) => ({ node: t.field({ type: Notification, resolve: (e) => e.node }), cursor: t.exposeString("cursor") }),
});

const NotificationConnection = builder.objectRef<NotificationConnectionValue>("NotificationConnection").implement({
  fields: (t) => ({
    edges: t.field({ type: [NotificationEdge], complexity: { field: 1, multiplier: 1 }, resolve: (c) => c.edges }),
    pageInfo: t.field({ type: PageInfo, resolve: (c) => c.pageInfo }),
    unreadCount: t.exposeInt("unreadCount", { description: "The caller's unread notifications, on every page." }),
  }),
});


builder.queryField("notifications", (t) =>
  t.field({
    type: NotificationConnection,
    description: "The caller's notifications, newest first, forward only (first/after). A session, or an API key with alerts:read.",
    args: {
      first: t.arg.int({ defaultValue: 20 }),
      after: t.arg.string(),
      trackedRouteId: t.arg.id(),
      unreadOnly: t.arg.boolean({ defaultValue: false }),
    },
    complexity: (args) => ({ field: 5, multiplier: Math.min(NOTIFICATIONS_PAGE_MAX, Math.max(1, args.first ?? 20)) }),
    resolve: async (_root, args, ctx) => {
      const { userId } = owner(ctx, "alerts:read");
      const input = parseArgs(
        notificationsPageInput,
        withoutNulls({ limit: args.first, cursor: args.after, trackedRouteId: args.trackedRouteId?.toString(), unreadOnly: args.unreadOnly }),
        { limit: "first", cursor: "after" },
      );
      const page = await notificationsPage(ctx, userId, input);
      const edges = page.items.map((node) => ({ node, cursor: node.id }));
      return {
        edges,
        pageInfo: { hasNextPage: page.nextCursor !== null, hasPreviousPage: input.cursor !== undefined, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
        unreadCount: page.unread,
      };
    },
  }),
);
