import Link from "next/link";

/** A run (or another item of the console) that does not exist. */
export default function AdminNotFound() {
  return (
    <div>
      <h1 className="text-2xl font-bold">Not found</h1>
      <p className="mt-3 text-slate-700 dark:text-slate-300">
        There is no such item in the admin console: a run&apos;s number may be mistyped, or it was never recorded here.
      </p>
      <p className="mt-3 flex flex-wrap gap-4">
        <Link href="/admin/runs" className="underline">
          All runs
        </Link>
        <Link href="/admin" className="underline">
          Overview
        </Link>
      </p>
    </div>
  );
}
