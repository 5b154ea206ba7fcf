import { z } from "zod";
import { freeText } from "@/server/core/search-query";

/** The profile a user edits: their name (empty: none). */
export const profileInput = z.object({
  name: freeText(100).pipe(z.string().trim()),
});
export type ProfileInput = z.infer<typeof profileInput>;

/** A session, by the id the account page shows (16 hex digits of its token's hash). */
export const sessionIdInput = z.object({ id: z.string().regex(/^[0-9a-f]{16}$/, "must be a session's id") });

/** Deleting an account: the user types its email address to confirm. */
export const deleteAccountInput = z.object({
  confirmEmail: freeText(254).pipe(z.string().trim().min(1, "type your email address to confirm")),
});
