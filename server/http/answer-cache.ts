import crypto from "node:crypto";
import type { Cache } from "@/server/cache/types";

/**
 * Whole REST answers, serialized, so that asking the same URL again costs a lookup: no search,
 * no validation of the result, no serialization. Keyed by the exact query string and the
 * provider set; an answer never outlives the search result it came from.
 *
 * Not kept compressed: Next.js drops a route handler's own `Content-Encoding` and compresses the
 * body itself when the client accepts it (next.config `compress`), so a stored gzip could not be
 * sent as such. Behind a reverse proxy that compresses, turn `compress` off (README).
 */
interface Stored {
  body: string;
}

export interface AnswerCache {
  cache: Cache;
  /**
   * What else decides the answer: the providers asked, read per request, since an admin's pause
   * (or resume) changes them on every instance: an answer kept before it is not served after it.
   */
  scope(): Promise<string>;
}

export async function answerKey(answers: AnswerCache, search: string): Promise<string> {
  return `answer:v1:${crypto.createHash("sha256").update(`${await answers.scope()}|${search}`).digest("base64url").slice(0, 32)}`;
}

export async function storeAnswer(answers: AnswerCache, key: string, body: string, ttlSeconds: number): Promise<void> {
  if (ttlSeconds < 1) return;
  await answers.cache.set<Stored>(key, { body }, ttlSeconds);
}

/** The stored answer as a response; null when there is none. */
export async function cachedAnswer(answers: AnswerCache, key: string, headers: Record<string, string>): Promise<Response | null> {
  const stored = await answers.cache.get<Stored>(key);
  if (!stored) return null;
  return new Response(stored.body, { headers: { "Content-Type": "application/json", "Cache-Control": "no-store", "X-Cache": "HIT", ...headers } });
}
