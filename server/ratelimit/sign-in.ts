import crypto from "node:crypto";
import { signInIdentifier } from "@/server/auth/identifier";
import { metrics } from "@/server/metrics";
import { prom } from "@/server/observability/metrics";
import type { Limiters, SignInBucket } from "./index";
import { retryAfterSeconds } from "./types";

/**
 * The bucket of an email address: its SHA-256, of the address as sign-in spells it
 * (signInIdentifier, which Auth.js uses too), so that every spelling of one mailbox shares one,
 * and no address is written into Redis as a key.
 */
export function signInEmailKey(email: string): string {
  const identifier = signInIdentifier(email) ?? email.normalize("NFKC").trim().toLowerCase();
  return `email:${crypto.createHash("sha256").update(identifier, "utf8").digest("hex")}`;
}

export interface SignInVerdict {
  allowed: boolean;
  /** When refused: seconds until the next link may be asked for. */
  retryAfterSeconds?: number;
}

/**
 * Whether a sign-in link may be sent for `email` to a caller at `address`: each has its own
 * bucket (the `signIn` limit, per email and per client address), and one request counts against
 * both. The client address is checked first, so that a caller refused for sending too many
 * cannot go on using up someone else's address's allowance.
 *
 * Counts every address typed, whether or not an account has it: call it before anything that
 * depends on the account, and answer a refusal the same way for every address, so that the
 * answer never says whether an account exists.
 */
export async function signInAllowed(ctx: { limiter: Limiters }, request: { email: string; address: string }): Promise<SignInVerdict> {
  const buckets: [SignInBucket, string][] = [
    ["address", request.address],
    ["email", signInEmailKey(request.email)],
  ];
  for (const [bucket, key] of buckets) {
    const limiter = ctx.limiter("signIn", bucket);
    if (!limiter) continue;
    const result = await limiter.limit(key);
    if (!result.allowed) {
      metrics.rateLimited++;
      prom.rateLimitRejections.inc({ limit: "signIn", bucket });
      return { allowed: false, retryAfterSeconds: retryAfterSeconds(result) };
    }
  }
  return { allowed: true };
}
