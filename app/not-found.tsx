import Link from "next/link";

export const metadata = { title: "Not found" };

/** The app's own 404 page: in its layout, and with nothing inline its CSP would refuse. */
export default function NotFound() {
  return (
    <div className="mx-auto max-w-3xl px-4 py-12">
      <h1 className="text-2xl font-bold">Nothing here</h1>
      <p className="mt-3 text-slate-700 dark:text-slate-300">
        This address is not a page of Flight Tracker. A route page is addressed by two airport or city codes, such as{" "}
        <Link href="/routes/LHR-JFK" className="underline">
          /routes/LHR-JFK
        </Link>
        .
      </p>
      <p className="mt-3">
        <Link href="/" className="underline">
          Search flights
        </Link>
      </p>
    </div>
  );
}
