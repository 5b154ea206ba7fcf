/** What the OpenAPI document's parts share (openapi.ts puts them together). */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A problem-details answer of the given meaning. */
export const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});
