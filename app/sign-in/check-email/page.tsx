import Link from "next/link";
import { connection } from "next/server";
import { deliveryFor } from "@/server/auth";
import { SIGN_IN_LINK_MINUTES } from "@/server/auth/config";
import { getAppContext } from "@/server/context";

export const metadata = { title: "Check your email" };

/** Where Auth.js sends someone who asked for a sign-in link. Says the same whether or not the account exists. */
export default async function CheckEmailPage() {
  // Per request: never rendered at build time, when opening the database would hold its lock.
  await connection();
  const outbox = deliveryFor(await getAppContext()) === "outbox";
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-bold">Check your email</h1>
      <p className="mt-3 text-slate-700 dark:text-slate-300">
        A sign-in link is on its way. It works once, for {SIGN_IN_LINK_MINUTES} minutes; you can close this page.
      </p>
      {outbox ? (
        <p className="mt-4 rounded-lg bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          This install has no email server, so the link is on the{" "}
          <Link href="/dev/outbox" className="font-medium underline">
            development outbox
          </Link>{" "}
          and in the server log.
        </p>
      ) : (
        <p className="mt-4 text-sm text-slate-600 dark:text-slate-400">Nothing after a few minutes? Look in your spam folder, or ask for another link.</p>
      )}
      <p className="mt-6">
        <Link href="/sign-in" className="underline">
          Back to sign in
        </Link>
      </p>
    </div>
  );
}
