import Link from "next/link";
import { signInErrorMessage } from "@/components/account/sign-in-messages";

export const metadata = { title: "Sign-in problem" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Where Auth.js sends a sign-in that did not work (a used or expired link, a refused account, …). */
export default async function SignInErrorPage({ searchParams }: { searchParams: SearchParams }) {
  const { error } = await searchParams;
  const message = signInErrorMessage(Array.isArray(error) ? error[0] : (error ?? "Default"));
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-bold">That did not sign you in</h1>
      <p role="alert" className="mt-3 text-slate-700 dark:text-slate-300">
        {message}
      </p>
      <p className="mt-6">
        <Link href="/sign-in" className="font-medium underline">
          Sign in again
        </Link>
      </p>
    </div>
  );
}
