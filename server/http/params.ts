import type { FieldErrors } from "@/server/core/errors";
import { CONTROL_CHARACTERS_MESSAGE, hasControlCharacters } from "@/server/core/text";

/**
 * Query parameters that may each be given once: the values by name, and a message for each one
 * that is unknown, repeated, or holds a control character.
 */
export function singleParams(params: URLSearchParams, known: readonly string[], unknown = "is not a parameter of this endpoint") {
  const values: Record<string, string> = {};
  const errors: FieldErrors = {};
  for (const key of new Set(params.keys())) {
    if (!known.includes(key)) errors[key] = [unknown];
    else if (params.getAll(key).length > 1) errors[key] = ["must be given once"];
    else if (hasControlCharacters(params.get(key)!)) errors[key] = [CONTROL_CHARACTERS_MESSAGE];
    else values[key] = params.get(key)!;
  }
  return { values, errors };
}
