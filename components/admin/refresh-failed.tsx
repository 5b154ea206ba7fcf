import { describeFailure } from "@/components/account/mutation-error";

/** A polling page's note that its last refresh failed (the figures shown are the earlier ones). */
export function RefreshFailed({ error }: { error: unknown }) {
  return (
    <p role="alert" className="mt-1 text-red-700 dark:text-red-400">
      The figures could not be refreshed ({describeFailure(error).message}); trying again.
    </p>
  );
}
