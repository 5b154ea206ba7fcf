import crypto from "node:crypto";
import { ValidationError } from "@/server/core/errors";

/** A cursor from another search, sort or filter, or none we issued: bad input on `cursor`. */
export class InvalidCursorError extends ValidationError {
  constructor(message = "The cursor is not valid for this search: start again without it.") {
    super({ cursor: [message] });
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

/**
 * Cursor pagination over a ranked list. The cursor is opaque to clients: an offset and the
 * fingerprint of the search, sort and filters it belongs to, so that a cursor from another
 * search is refused instead of silently skipping results.
 */
export function paginate<T>(items: T[], options: { limit: number; cursor?: string | null; fingerprint: string }): Page<T> {
  let offset = 0;
  if (options.cursor) {
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(options.cursor, "base64url").toString("utf8"));
    } catch {
      throw new InvalidCursorError();
    }
    const { o, f } = (decoded ?? {}) as { o?: unknown; f?: unknown };
    if (typeof o !== "number" || !Number.isInteger(o) || o < 0 || f !== options.fingerprint) throw new InvalidCursorError();
    offset = o;
  }
  const end = offset + options.limit;
  return {
    items: items.slice(offset, end),
    nextCursor: end < items.length ? Buffer.from(JSON.stringify({ o: end, f: options.fingerprint })).toString("base64url") : null,
    total: items.length,
  };
}
