import crypto from "node:crypto";
import type { Slice } from "@/server/core/offer";

/**
 * Identifies the same flights whoever sells them: each segment's flight number and departure
 * instant. Cabin and price are not part of it.
 */
export function itineraryKey(slices: Pick<Slice, "segments">[]): string {
  const text = slices
    .map((slice) => slice.segments.map((s) => `${s.flightNumber.replace(/\s+/g, "")}@${new Date(s.departureAt).toISOString()}`).join(">"))
    .join("|");
  return crypto.createHash("sha256").update(text).digest("base64url").slice(0, 22);
}
