import Link from "next/link";
import { deleteRuleAction, setRuleEnabledAction } from "@/app/alerts/actions";
import { formatAmount, formatMoment } from "@/components/format";
import { getAppContext } from "@/server/context";
import { listRules, notificationsPage, routeChannels } from "@/server/services/alerts/alerts";
import { describeRule } from "./describe";
import { EnabledToggle, smallButton } from "./fields";
import { notificationDates } from "./notification-summary";
import { AddRuleForm, RouteChannelsForm } from "./rule-forms";

/** How many of the route's latest notifications the panel shows. */
const RECENT = 3;

interface RouteRef {
  id: string;
  originCode: string;
  destinationCode: string;
  currency: string;
}

/**
 * A tracked route's alerts, on its card of the Tracked page: its rules (with adding, turning
 * off, deleting), the channels it alerts on, and its latest notifications. Forms posting to
 * server actions: it all works without JavaScript.
 */
export async function RulesPanel({ route, userId }: { route: RouteRef; userId: string }) {
  const ctx = await getAppContext();
  const [rules, channels, recent] = await Promise.all([
    listRules(ctx, userId, route.id),
    routeChannels(ctx, userId, route.id),
    notificationsPage(ctx, userId, { limit: RECENT, trackedRouteId: route.id }),
  ]);
  const label = `${route.originCode} → ${route.destinationCode}`;
  const active = rules.filter((r) => r.enabled).length;
  return (
    <details className="mt-3 rounded-lg border border-slate-200 dark:border-slate-800" data-testid="alerts-panel">
      <summary className="cursor-pointer rounded-lg px-3 py-2 text-sm font-medium hover:bg-slate-50 dark:hover:bg-slate-900">
        Alerts <span className="font-normal text-slate-600 dark:text-slate-400">· {active === 0 ? "no rule on" : `${active} rule${active > 1 ? "s" : ""} on`}</span>
      </summary>
      <div className="space-y-5 border-t border-slate-200 px-3 py-3 dark:border-slate-800">
        <div>
          <h3 className="text-sm font-semibold">Rules</h3>
          {rules.length === 0 ? (
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">No rules: this route never alerts.</p>
          ) : (
            <ul className="mt-1 divide-y divide-slate-100 dark:divide-slate-800">
              {rules.map((rule) => {
                const words = describeRule(rule);
                return (
                  <li key={rule.id} data-testid="alert-rule" className="flex flex-wrap items-center justify-between gap-2 py-2">
                    <div className={rule.enabled ? "" : "opacity-70"}>
                      <p className="text-sm font-medium">
                        {words}
                        {rule.enabled ? null : <span className="ml-2 text-xs font-semibold uppercase">off</span>}
                      </p>
                      <p className="text-xs text-slate-600 dark:text-slate-400">
                        {rule.cooldownHours > 0 ? `quiet for ${rule.cooldownHours} h after an alert` : "no quiet time after an alert"}
                        {rule.lastAlert ? ` · last alert ${formatMoment(rule.lastAlert.at)} at ${formatAmount(rule.lastAlert.price.amount, rule.lastAlert.price.currency)}` : ""}
                      </p>
                    </div>
                    <div className="flex items-center gap-2">
                      <EnabledToggle action={setRuleEnabledAction} id={rule.id} enabled={rule.enabled} label={words} />
                      <form action={deleteRuleAction}>
                        <input type="hidden" name="id" value={rule.id} />
                        <button type="submit" className={`${smallButton} border-red-300 text-red-700 dark:border-red-800 dark:text-red-400`}>
                          Delete<span className="sr-only"> {words}</span>
                        </button>
                      </form>
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
          <h4 className="mt-3 text-sm font-semibold">Add a rule</h4>
          <div className="mt-1">
            <AddRuleForm trackedRouteId={route.id} currency={route.currency} label={label} />
          </div>
        </div>

        <div>
          <h3 className="text-sm font-semibold">Send to</h3>
          {channels.length === 0 ? (
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
              No channels yet: alerts are in the app only.{" "}
              <Link href="/alerts" className="underline">
                Add one
              </Link>
            </p>
          ) : (
            <div className="mt-1">
              <RouteChannelsForm
                trackedRouteId={route.id}
                label={label}
                channels={channels.map(({ channel, enabled }) => ({ id: channel.id, name: channel.name, kind: channel.kind, on: enabled, channelOff: !channel.enabled }))}
              />
            </div>
          )}
        </div>

        <div>
          <h3 className="text-sm font-semibold">Latest alerts</h3>
          {recent.items.length === 0 ? (
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">None yet.</p>
          ) : (
            <ul className="mt-1 space-y-1 text-sm">
              {recent.items.map((n) => (
                <li key={n.id}>
                  {/* No prefetch: opening a notification marks it read. */}
                  <Link href={`/notifications/${n.id}`} prefetch={false} className="underline">
                    {formatAmount(n.price.amount, n.price.currency)}
                    {n.previousPrice ? ` (was ${formatAmount(n.previousPrice.amount, n.previousPrice.currency)})` : ""}
                    {notificationDates(n) ? ` · ${notificationDates(n)}` : ""}
                  </Link>{" "}
                  <span className="text-xs text-slate-600 dark:text-slate-400">
                    {formatMoment(n.createdAt)}
                    {n.price.simulated ? " · simulated" : ""}
                    {n.read ? "" : " · unread"}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </details>
  );
}
