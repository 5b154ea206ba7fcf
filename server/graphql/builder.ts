import SchemaBuilder from "@pothos/core";
import ComplexityPlugin from "@pothos/plugin-complexity";
import { GraphQLError } from "graphql";
import { isoDate } from "@/server/core/search-query";
import type { InnerContext } from "@/server/http/request-context";

/**
 * The Pothos builder of the GraphQL schema. Fields are non-null unless they say otherwise (the
 * contract's types are mostly non-null); arguments are optional unless required.
 *
 * The cost of a query is counted before anything runs (the complexity plugin): every field 1, a
 * list's selection times 10 unless the field says better (a connection's `first` or `last`, a
 * flight's two slices), and a search (`flights`: every provider is asked) SEARCH_COST more. The
 * budget lets one search of 100 flights with every field (about 57,000) or three of the
 * contract's fields through, and refuses more. Depth, aliases, directives and tokens are limited
 * by graphql-armor in the server (server/graphql/yoga.ts).
 */
export const MAX_COMPLEXITY = 60_000;
export const SEARCH_COST = 15_000;

export const builder = new SchemaBuilder<{
  Context: InnerContext;
  DefaultFieldNullability: false;
  Scalars: {
    Date: { Input: string; Output: string };
    DateTime: { Input: string; Output: string };
    Duration: { Input: string; Output: string };
  };
}>({
  plugins: [ComplexityPlugin],
  defaultFieldNullability: false,
  complexity: {
    defaultComplexity: 1,
    defaultListMultiplier: 10,
    limit: { complexity: MAX_COMPLEXITY, depth: 12, breadth: 400 },
    complexityError: (kind, result) => {
      const measure = kind.toLowerCase() as "complexity" | "depth" | "breadth";
      const max = { complexity: result.maxComplexity, depth: result.maxDepth, breadth: result.maxBreadth }[measure];
      const what = { complexity: "costly", depth: "deep", breadth: "broad" }[measure];
      return new GraphQLError(`The query is too ${what}: its ${measure} ${result[measure]} is over the limit of ${max}.`, {
        extensions: { code: "QUERY_TOO_COMPLEX", [measure]: result[measure], limit: max },
      });
    },
  },
});

function stringValue(name: string, value: unknown): string {
  if (typeof value !== "string") throw new GraphQLError(`${name} must be a string.`, { extensions: { code: "BAD_USER_INPUT" } });
  return value;
}

builder.scalarType("Date", {
  description: "A calendar date, YYYY-MM-DD (local at the airport it belongs to).",
  serialize: (value) => value,
  parseValue: (value) => {
    const parsed = isoDate.safeParse(stringValue("Date", value));
    if (!parsed.success) throw new GraphQLError(`Date ${parsed.error.issues[0]!.message}.`, { extensions: { code: "BAD_USER_INPUT" } });
    return parsed.data;
  },
});

builder.scalarType("DateTime", {
  description: "A point in time, ISO 8601 with a UTC offset (flight times are local at their airport, with its offset).",
  serialize: (value) => value,
  parseValue: (value) => {
    const text = stringValue("DateTime", value);
    if (Number.isNaN(Date.parse(text))) throw new GraphQLError("DateTime must be an ISO 8601 date and time.", { extensions: { code: "BAD_USER_INPUT" } });
    return text;
  },
});

builder.scalarType("Duration", {
  description: "A length of time, ISO 8601 (PT7H40M).",
  serialize: (value) => value,
  parseValue: (value) => stringValue("Duration", value),
});

builder.queryType({});
builder.mutationType({});
