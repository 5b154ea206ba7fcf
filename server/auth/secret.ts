import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { appSetting } from "@/db/schema";
import type { AppConfig } from "@/server/context";

/** The app_setting key of the generated secret. */
export const GENERATED_SECRET_SETTING = "auth.secret";

/**
 * The secrets sign-in uses, the one that signs first: AUTH_SECRET and the earlier ones still
 * accepted (AUTH_SECRET_1..3). With none configured, a secret generated on first use and kept in
 * the database, so every instance shares it and a backup keeps it; instances starting at once
 * agree on one (the first insert wins, the others read it). Without a secret Auth.js answers 500
 * on every route, so there is always one.
 */
export async function authSecrets(db: Db, config: Pick<AppConfig["auth"], "secret" | "previousSecrets">): Promise<string[]> {
  if (config.secret) return [config.secret, ...config.previousSecrets];
  return [await generatedSecret(db), ...config.previousSecrets];
}

async function generatedSecret(db: Db): Promise<string> {
  const candidate = crypto.randomBytes(32).toString("base64url");
  // An insert that waited for another instance's commits nothing and, in the same statement,
  // cannot see that row yet (its snapshot is older): the next statement reads it.
  for (let attempt = 0; attempt < 3; attempt++) {
    const [row] = await queryRows<{ value: string }>(
      db,
      sql`WITH inserted AS (
            INSERT INTO ${appSetting} (key, value) VALUES (${GENERATED_SECRET_SETTING}, ${candidate})
            ON CONFLICT (key) DO NOTHING RETURNING value)
          SELECT value FROM inserted
          UNION ALL SELECT value FROM ${appSetting} WHERE key = ${GENERATED_SECRET_SETTING}
          LIMIT 1`,
    );
    if (row) return row.value;
  }
  throw new Error("The sign-in secret could not be read from the database");
}
