import Link from "next/link";

export const metadata = { title: "Not allowed" };

/** The 403 page (forbidden() with experimental.authInterrupts): a signed-in user on a page for admins. */
export default function Forbidden() {
  return (
    <div className="mx-auto max-w-3xl px-4 py-12">
      <h1 className="text-2xl font-bold">Not allowed</h1>
      <p className="mt-3 text-slate-700 dark:text-slate-300">
        This page is for the admins of this Flight Tracker. Your account can search flights and track routes, but not run the admin console. An admin can give you the admin role.
      </p>
      <p className="mt-3 flex flex-wrap gap-4">
        <Link href="/" className="underline">
          Search flights
        </Link>
        <Link href="/tracked" className="underline">
          Your tracked routes
        </Link>
      </p>
    </div>
  );
}
