import { ApiKeysPanel } from "@/components/account/api-keys-panel";
import { DeleteAccount, ProfileForm } from "@/components/account/profile";
import { SessionsPanel } from "@/components/account/sessions-panel";
import { describeUserAgent, formatMoment } from "@/components/format";
import { listApiKeys } from "@/db/queries/api-keys";
import { requireViewer } from "@/server/auth/viewer";
import { API_KEY_SCOPES } from "@/server/core/api-keys";
import { getAppContext } from "@/server/context";
import { accountOverview, accountSessions } from "@/server/services/accounts/account";

export const metadata = { title: "Account" };

const METHOD_NAMES: Record<string, string> = { email: "Email link", github: "GitHub", google: "Google" };

const sectionClass = "rounded-xl border border-slate-200 p-5 dark:border-slate-800";

/**
 * The signed-in user's account: profile, sign-in methods, active sessions, API keys, export and
 * deletion. Anonymous visitors go to sign in and come back here.
 */
export default async function AccountPage() {
  const viewer = await requireViewer("/account");
  const ctx = await getAppContext();
  const [account, sessions, keys] = await Promise.all([
    accountOverview(ctx, viewer.id),
    accountSessions(ctx, viewer.id, viewer.sessionId),
    listApiKeys(ctx.db, viewer.id),
  ]);
  const now = ctx.clock().getTime();
  return (
    <div className="mx-auto max-w-3xl space-y-6 px-4 py-8 sm:py-12">
      <div>
        <h1 className="text-2xl font-bold">Account</h1>
        <p className="mt-1 text-slate-700 dark:text-slate-300">
          {account.email}
          {account.role === "admin" ? " · admin" : ""} · member since {formatMoment(account.createdAt).replace(/, .*$/, "")}
        </p>
      </div>

      <section aria-labelledby="profile-title" className={sectionClass}>
        <h2 id="profile-title" className="text-lg font-semibold">
          Profile
        </h2>
        <ProfileForm name={account.name ?? ""} />
        <h3 className="mt-5 text-sm font-semibold">Sign-in methods</h3>
        <ul className="mt-2 flex flex-wrap gap-2">
          {account.signInMethods.map((method) => (
            <li key={method} className="rounded-full border border-slate-300 px-3 py-1 text-sm dark:border-slate-700">
              {METHOD_NAMES[method] ?? method}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="sessions-title" className={sectionClass}>
        <h2 id="sessions-title" className="text-lg font-semibold">
          Active sessions
        </h2>
        <SessionsPanel
          sessions={sessions.map((session) => ({
            id: session.id,
            current: session.current,
            device: describeUserAgent(session.userAgent),
            address: session.address,
            signedIn: formatMoment(session.createdAt),
            lastSeen: session.lastSeenAt ? formatMoment(session.lastSeenAt) : null,
          }))}
        />
      </section>

      <section aria-labelledby="keys-title" className={sectionClass}>
        <h2 id="keys-title" className="text-lg font-semibold">
          API keys
        </h2>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
          For scripts and other programs using the <a href="/docs/api" className="underline">REST API</a>: send{" "}
          <code>Authorization: Bearer &lt;key&gt;</code>. A key can do only what its scopes allow, and never manage keys or this account.
        </p>
        <ApiKeysPanel
          scopes={API_KEY_SCOPES.filter((scope) => scope !== "admin" || account.role === "admin")}
          keys={keys.map((key) => ({
            id: key.id,
            name: key.name,
            prefix: key.prefix,
            scopes: key.scopes,
            created: formatMoment(key.createdAt),
            lastUsed: key.lastUsedAt ? formatMoment(key.lastUsedAt) : null,
            expires: key.expiresAt ? formatMoment(key.expiresAt) : null,
            state: key.revokedAt ? "revoked" : key.expiresAt && key.expiresAt.getTime() <= now ? "expired" : "active",
          }))}
        />
      </section>

      <section aria-labelledby="data-title" className={sectionClass}>
        <h2 id="data-title" className="text-lg font-semibold">
          Your data
        </h2>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">Everything this account holds, as one JSON file.</p>
        {/* A download, not a page. */}
        <a href="/account/export" download className="mt-3 inline-block rounded-lg border border-slate-300 px-4 py-2 font-medium hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800">
          Export my data
        </a>
        <DeleteAccount email={account.email ?? ""} />
      </section>
    </div>
  );
}
