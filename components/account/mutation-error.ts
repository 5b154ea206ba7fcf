import type { FieldErrors } from "@/server/core/errors";

/** What a failed tRPC call says, for a form: its message per field when it has them, else one line. */
export function describeFailure(error: unknown): { message: string; fields: FieldErrors } {
  const data = (error as { data?: { fieldErrors?: FieldErrors | null } } | null)?.data;
  const fields = data?.fieldErrors ?? {};
  const message = Object.keys(fields).length
    ? Object.entries(fields)
        .map(([field, messages]) => `${field} ${messages.join("; ")}`)
        .join(". ")
    : error instanceof Error
      ? error.message
      : "Something went wrong; try again.";
  return { message, fields };
}
