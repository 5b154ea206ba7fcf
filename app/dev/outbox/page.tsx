import { notFound } from "next/navigation";
import { deliveryFor } from "@/server/auth";
import { outboxMessages } from "@/server/auth/outbox";
import { getAppContext } from "@/server/context";

export const metadata = { title: "Development outbox" };
export const dynamic = "force-dynamic";

/**
 * The sign-in links this process would have emailed, on an install with no EMAIL_SERVER that may
 * use the outbox (the embedded engine, or outside production). Elsewhere there is no such page.
 */
export default async function OutboxPage() {
  const ctx = await getAppContext();
  if (deliveryFor(ctx) !== "outbox") notFound();
  const messages = outboxMessages();
  return (
    <div className="mx-auto max-w-3xl px-4 py-12">
      <h1 className="text-2xl font-bold">Development outbox</h1>
      <p className="mt-3 text-slate-700 dark:text-slate-300">
        No email server is configured (<code>EMAIL_SERVER</code>), so sign-in links and alert emails land here and in the server log instead of in a mailbox. The
        newest first; each link works once, for 15 minutes.
      </p>
      {messages.length === 0 ? (
        <p className="mt-6">Nothing yet: ask for a sign-in link first.</p>
      ) : (
        <ul className="mt-6 space-y-4">
          {messages.map((message) => (
            <li key={`${message.sentAt.getTime()}-${message.url}`} className="rounded border border-slate-200 p-4 dark:border-slate-700">
              <p className="text-sm text-slate-600 dark:text-slate-400">
                To {message.to} at {message.sentAt.toISOString().slice(11, 19)} UTC
              </p>
              <p className="mt-1 font-medium">{message.subject}</p>
              {message.links?.length ? (
                <ul className="mt-2 space-y-1">
                  {message.links.map((link) => (
                    <li key={link.url}>
                      <a href={link.url} className="underline">
                        {link.label}
                      </a>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="mt-2">
                  <a href={message.url} className="underline">
                    Sign in as {message.to}
                  </a>
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
