import { z } from "zod";
import { freeText } from "@/server/core/search-query";
import { API_KEY_SCOPES } from "./api-keys";

/** A new API key, as tRPC and REST take it. */
export const createApiKeyInput = z.object({
  name: freeText(100).pipe(z.string().trim().min(1, "must not be empty")),
  scopes: z
    .array(z.enum(API_KEY_SCOPES))
    .min(1, "choose at least one scope")
    .refine((scopes) => new Set(scopes).size === scopes.length, "lists a scope twice"),
  /** Days until the key stops working; none: it works until revoked. */
  expiresInDays: z.number().int().min(1).max(3_650).optional(),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;

export const apiKeyIdInput = z.object({ id: z.uuid("must be a key's id") });
