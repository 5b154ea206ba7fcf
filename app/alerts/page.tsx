import Link from "next/link";
import { AddChannelForm, AddEmailChannel, TestChannelButton } from "@/components/alerts/channel-forms";
import { CHANNEL_KIND_WORDS } from "@/components/alerts/describe";
import { EnabledToggle, smallButton } from "@/components/alerts/fields";
import { PreferencesForm } from "@/components/alerts/preferences-form";
import { formatMoment } from "@/components/format";
import { requireViewer } from "@/server/auth/viewer";
import { getAppContext } from "@/server/context";
import { channelAttempts, getPreferences, listChannels, type ChannelView } from "@/server/services/alerts/alerts";
import { deleteChannelAction, setChannelEnabledAction } from "./actions";

export const metadata = { title: "Alert settings" };
export const dynamic = "force-dynamic";

const sectionClass = "rounded-xl border border-slate-200 p-5 dark:border-slate-800";
/** The attempts each channel's log shows. */
const LOG_SIZE = 10;

type Attempt = Awaited<ReturnType<typeof channelAttempts>>[number];

/** Every IANA zone this runtime knows, UTC first. */
function timeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return ["UTC", ...zones.filter((zone) => zone !== "UTC")];
}

function ChannelState({ channel }: { channel: ChannelView }) {
  if (!channel.enabled) {
    return (
      <span className="rounded bg-slate-200 px-1.5 py-0.5 text-xs font-semibold text-slate-800 dark:bg-slate-700 dark:text-slate-100" data-testid="channel-state">
        off
      </span>
    );
  }
  return (
    <span className="rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-semibold text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100" data-testid="channel-state">
      on
    </span>
  );
}

function DeliveryLog({ attempts }: { attempts: Attempt[] }) {
  if (attempts.length === 0) return <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">Nothing sent yet.</p>;
  return (
    <div className="mt-2 overflow-x-auto">
      <table className="w-full text-left text-xs">
        <caption className="sr-only">The last {attempts.length} attempts, newest first</caption>
        <thead>
          <tr className="border-b border-slate-200 dark:border-slate-700">
            <th scope="col" className="py-1 pr-3 font-semibold">
              Time
            </th>
            <th scope="col" className="py-1 pr-3 font-semibold">
              Outcome
            </th>
            <th scope="col" className="py-1 pr-3 font-semibold">
              Status
            </th>
            <th scope="col" className="py-1 font-semibold">
              Error
            </th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((a, i) => (
            <tr key={`${a.at}-${i}`} className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800">
              <td className="py-1 pr-3 whitespace-nowrap">
                <time dateTime={a.at}>{formatMoment(a.at)}</time>
                {a.test ? " (test)" : ""}
              </td>
              <td className={`py-1 pr-3 font-medium ${a.ok ? "text-emerald-800 dark:text-emerald-300" : "text-red-700 dark:text-red-400"}`}>{a.ok ? "ok" : "failed"}</td>
              <td className="py-1 pr-3 tabular-nums">{a.status ?? "–"}</td>
              <td className="py-1 break-words">{a.error ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ChannelItem({ channel, attempts }: { channel: ChannelView; attempts: Attempt[] }) {
  return (
    <li data-testid="channel" data-channel-kind={channel.kind} className="py-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 className="font-semibold">
            {channel.name}
            {channel.name === CHANNEL_KIND_WORDS[channel.kind] ? null : <span className="font-normal text-slate-600 dark:text-slate-400"> · {CHANNEL_KIND_WORDS[channel.kind]}</span>}{" "}
            <ChannelState channel={channel} />
          </h3>
          <p className="text-sm break-all text-slate-700 dark:text-slate-300">{channel.target}</p>
          {!channel.enabled && channel.disabledReason ? (
            <p className="text-sm text-red-700 dark:text-red-400">Turned off: {channel.disabledReason}</p>
          ) : null}
          <p className="text-xs text-slate-600 dark:text-slate-400">
            {channel.consecutiveFailures > 0 ? `${channel.consecutiveFailures} failure${channel.consecutiveFailures > 1 ? "s" : ""} in a row · ` : ""}
            {channel.lastSuccessAt ? `last sent ${formatMoment(channel.lastSuccessAt)}` : "never sent"}
            {channel.lastFailureAt ? ` · last failed ${formatMoment(channel.lastFailureAt)}` : ""}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <EnabledToggle action={setChannelEnabledAction} id={channel.id} enabled={channel.enabled} label={channel.name} />
          <details>
            <summary className={`${smallButton} cursor-pointer list-none border-red-300 text-red-700 dark:border-red-800 dark:text-red-400`}>
              Delete<span className="sr-only"> {channel.name}</span>
            </summary>
            <form action={deleteChannelAction} className="mt-2">
              <input type="hidden" name="id" value={channel.id} />
              <button type="submit" className="rounded-lg bg-red-700 px-3 py-1 text-sm font-semibold text-white hover:bg-red-800">
                Delete “{channel.name}”
              </button>
            </form>
          </details>
        </div>
      </div>
      <div className="mt-2">
        <TestChannelButton channelId={channel.id} name={channel.name} />
      </div>
      <details className="mt-2">
        <summary className="cursor-pointer text-sm font-medium">Delivery log</summary>
        <DeliveryLog attempts={attempts} />
      </details>
    </li>
  );
}

/**
 * Where alerts go (channels: email, webhooks, phones via ntfy) and how (instant or a daily
 * digest, quiet hours, a daily cap). The rules themselves are on each tracked route.
 */
export default async function AlertsPage() {
  const viewer = await requireViewer("/alerts");
  const ctx = await getAppContext();
  const [channels, preferences] = await Promise.all([listChannels(ctx, viewer.id), getPreferences(ctx, viewer.id)]);
  const logs = await Promise.all(channels.map((c) => channelAttempts(ctx, viewer.id, c.id, LOG_SIZE)));
  const hasEmail = channels.some((c) => c.kind === "email");
  return (
    <div className="mx-auto max-w-3xl space-y-6 px-4 py-8">
      <div>
        <h1 className="text-2xl font-bold">Alert settings</h1>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
          The rules of each route (a target price, a drop, a new low) are on{" "}
          <Link href="/tracked" className="underline">
            your tracked routes
          </Link>
          ; every alert is also in your{" "}
          <Link href="/notifications" className="underline">
            notifications
          </Link>
          .
        </p>
      </div>

      <section aria-labelledby="channels-title" className={sectionClass}>
        <h2 id="channels-title" className="text-lg font-semibold">
          Channels
        </h2>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">Where alerts are sent. Each tracked route can use all of them or only some.</p>
        {channels.length === 0 ? (
          <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">No channels yet: alerts are in the app only.</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-200 dark:divide-slate-800" aria-label="Your channels">
            {channels.map((channel, i) => (
              <ChannelItem key={channel.id} channel={channel} attempts={logs[i] ?? []} />
            ))}
          </ul>
        )}
        {!hasEmail && viewer.email ? (
          <div className="mt-4">
            <AddEmailChannel email={viewer.email} />
          </div>
        ) : null}
        <h3 className="mt-6 font-semibold">Add a webhook</h3>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
          A POST of each alert as JSON, signed (Standard Webhooks), to a URL of yours; retried for a while when it fails.
        </p>
        <div className="mt-2">
          <AddChannelForm kind="webhook" />
        </div>
        <h3 className="mt-6 font-semibold">Add a phone</h3>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
          Push notifications through an{" "}
          <a href="https://ntfy.sh" className="underline" rel="noreferrer">
            ntfy
          </a>{" "}
          topic: subscribe to it in the ntfy app.
        </p>
        <div className="mt-2">
          <AddChannelForm kind="ntfy" />
        </div>
      </section>

      <section aria-labelledby="preferences-title" className={sectionClass}>
        <h2 id="preferences-title" className="text-lg font-semibold">
          Preferences
        </h2>
        <PreferencesForm preferences={preferences} timeZones={timeZones()} />
      </section>
    </div>
  );
}
