import type { Metadata } from "next";
import Link from "next/link";
import { findTrackedRoute } from "@/db/queries/tracking";
import { readUnsubscribeToken } from "@/server/alerts/unsubscribe";
import { authSecrets } from "@/server/auth/secret";
import { getAppContext } from "@/server/context";
import { routeChannels } from "@/server/services/alerts/alerts";

export const metadata: Metadata = {
  title: "Stop alert emails",
  robots: { index: false, follow: false },
  // The token is in this page's address: no other site should see it in a Referer.
  referrer: "no-referrer",
};
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The route a token names and whether it still emails, or null for a token that is not ours. */
async function routeOf(token: string) {
  if (!token) return null;
  const ctx = await getAppContext();
  const claim = readUnsubscribeToken(token, await authSecrets(ctx.db, ctx.config.auth));
  if (!claim) return null;
  const route = await findTrackedRoute(ctx.db, claim.userId, claim.trackedRouteId);
  if (!route) return null;
  const channels = await routeChannels(ctx, claim.userId, route.id);
  return { origin: route.origin, destination: route.destination, emails: channels.some((c) => c.channel.kind === "email" && c.enabled) };
}

const boxClass = "mx-auto max-w-xl px-4 py-12";

/**
 * Where an alert email's unsubscribe link lands (through /api/alerts/unsubscribe). Looking
 * changes nothing (mail scanners open links); the button posts to the link, which stops that
 * route's emails and comes back here. No sign-in: the signed token names the user and route.
 */
export default async function UnsubscribePage({ searchParams }: Props) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? params.token : "";
  const route = await routeOf(token);
  if (!route) {
    return (
      <div className={boxClass}>
        <h1 className="text-2xl font-bold">This link does not work</h1>
        <p className="mt-3 text-slate-700 dark:text-slate-300">
          It may have been cut short, or the route is no longer tracked. Signed in, you choose which routes email you on{" "}
          <Link href="/tracked" className="underline">
            your tracked routes
          </Link>
          .
        </p>
      </div>
    );
  }
  const pair = `${route.origin} → ${route.destination}`;
  if (!route.emails) {
    return (
      <div className={boxClass}>
        <h1 className="text-2xl font-bold">{params.done === "1" ? "Unsubscribed" : "No more emails"}</h1>
        <p role="status" className="mt-3 text-slate-700 dark:text-slate-300">
          You will get no more emails about {pair}. Its alerts still appear in the app, and on any other channel it uses.
        </p>
        <p className="mt-3 text-sm text-slate-700 dark:text-slate-300">
          Changed your mind? Tick its email box again under <strong>Alerts</strong> on{" "}
          <Link href="/tracked" className="underline">
            your tracked routes
          </Link>
          .
        </p>
      </div>
    );
  }
  return (
    <div className={boxClass}>
      <h1 className="text-2xl font-bold">Stop emails about {pair}?</h1>
      <p className="mt-3 text-slate-700 dark:text-slate-300">
        Price alerts for this route will no longer be emailed to you. They still appear in the app, and your other routes keep emailing you.
      </p>
      {/* A POST to the email's own link (RFC 8058's one-click address), which sends the browser back here. */}
      <form method="post" action={`/api/alerts/unsubscribe?${new URLSearchParams({ token }).toString()}`} className="mt-6">
        <input type="hidden" name="from" value="page" />
        <button type="submit" className="rounded-lg bg-brand-600 px-4 py-2 font-semibold text-white shadow-sm hover:bg-brand-700">
          Stop emails
        </button>
      </form>
    </div>
  );
}
