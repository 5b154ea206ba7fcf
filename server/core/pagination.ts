import crypto from "node:crypto";
import { ValidationError } from "@/server/core/errors";

/** A cursor from another search, sort or filter, or none we issued: bad input on `cursor`. */
export class InvalidCursorError extends ValidationError {
  constructor(message = "The cursor is not valid for this search: start again without it.", field = "cursor") {
    super({ [field]: [message] });
    this.name = "InvalidCursorError";
  }
}

/** Ties a cursor to the search, sort and filters it was made for. */
export function resultFingerprint(parts: unknown): string {
  return crypto.createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 12);
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total: number;
}

const encodeOffset = (offset: number, fingerprint: string) => Buffer.from(JSON.stringify({ o: offset, f: fingerprint })).toString("base64url");

/** The offset a cursor stands for; InvalidCursorError (on `field`) for one we did not make for this search. */
function decodeOffset(cursor: string, fingerprint: string, field = "cursor"): number {
  const invalid = () => new InvalidCursorError(undefined, field);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  const { o, f } = (decoded ?? {}) as { o?: unknown; f?: unknown };
  if (typeof o !== "number" || !Number.isInteger(o) || o < 0 || f !== fingerprint) throw invalid();
  return o;
}

/**
 * Cursor pagination over a ranked list. The cursor is opaque to clients: an offset and the
 * fingerprint of the search, sort and filters it belongs to, so that a cursor from another
 * search is refused instead of silently skipping results.
 */
export function paginate<T>(items: T[], options: { limit: number; cursor?: string | null; fingerprint: string }): Page<T> {
  const offset = options.cursor ? decodeOffset(options.cursor, options.fingerprint) : 0;
  const end = offset + options.limit;
  return {
    items: items.slice(offset, end),
    nextCursor: end < items.length ? encodeOffset(end, options.fingerprint) : null,
    total: items.length,
  };
}

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface ConnectionSlice<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/**
 * A Relay connection's page of a ranked list (the GraphQL Cursor Connections spec): `after` and
 * `before` narrow the list to the items between them, then `first` keeps the first n of those,
 * `last` the last n. Each edge's cursor is its item's position (with the fingerprint, like
 * `paginate`'s); since positions are known, hasPreviousPage and hasNextPage say whether anything
 * lies before or after the page at all, in either direction of paging.
 */
export function connectionSlice<T>(items: T[], args: ConnectionArgs, options: ConnectionOptions): ConnectionSlice<T> {
  const window = connectionWindow(args, options);
  let start = Math.min(window.start, items.length);
  let end = Math.max(Math.min(window.end ?? items.length, items.length), start);
  if (window.first != null) end = Math.min(end, start + window.first);
  if (window.last != null) start = Math.max(start, end - window.last);
  const edges = items.slice(start, end).map((node, i) => ({ node, cursor: encodeOffset(start + i, options.fingerprint) }));
  return {
    edges,
    pageInfo: { hasPreviousPage: start > 0, hasNextPage: end < items.length, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

export interface ConnectionOptions {
  fingerprint: string;
  defaultFirst: number;
  max: number;
}

/**
 * A connection's arguments checked and decoded, before anything is fetched: first and last within
 * bounds, after and before cursors of this list (ValidationError naming the argument otherwise).
 */
export function connectionWindow(args: ConnectionArgs, options: ConnectionOptions): { start: number; end: number | null; first: number | null; last: number | null } {
  const errors: Record<string, string[]> = {};
  for (const name of ["first", "last"] as const) {
    const n = args[name];
    if (n != null && !(Number.isInteger(n) && n >= 0 && n <= options.max)) errors[name] = [`must be a whole number from 0 to ${options.max}`];
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return {
    start: args.after ? decodeOffset(args.after, options.fingerprint, "after") + 1 : 0,
    end: args.before ? decodeOffset(args.before, options.fingerprint, "before") : null,
    first: args.first ?? (args.last == null ? options.defaultFirst : null),
    last: args.last ?? null,
  };
}
