import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Accounts: the tables Auth.js's Drizzle adapter works on (their TypeScript keys are the ones it
 * expects; the SQL names are ours), API keys and the audit log.
 */

// The same list as ROLES in server/core/roles.ts (a test checks); the schema stays free of app imports.
export const roleValues = ["user", "admin"] as const;

/** A person who signed in. `app_user`, not `user`: that is a reserved word in SQL. */
export const appUser = pgTable(
  "app_user",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name"),
    /** Stored lower-cased: one account per address however it is typed. */
    email: text("email").unique(),
    emailVerified: timestamp("email_verified", { withTimezone: true, mode: "date" }),
    image: text("image"),
    role: text("role", { enum: roleValues }).notNull().default("user"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    /** Set by an admin: the account cannot sign in, its sessions and keys stop working. */
    disabledAt: timestamp("disabled_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [check("app_user_role_check", sql`${t.role} IN ('user', 'admin')`), check("app_user_email_check", sql`${t.email} = lower(${t.email})`)],
);

/** A sign-in method linked to a user (an OAuth account, or the email provider's record). */
export const authAccount = pgTable(
  "auth_account",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => appUser.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    provider: text("provider").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    refresh_token: text("refresh_token"),
    access_token: text("access_token"),
    expires_at: integer("expires_at"),
    token_type: text("token_type"),
    scope: text("scope"),
    id_token: text("id_token"),
    session_state: text("session_state"),
  },
  (t) => [primaryKey({ name: "auth_account_pk", columns: [t.provider, t.providerAccountId] }), index("auth_account_user_id_idx").on(t.userId)],
);

/**
 * A database session (revocable; the role is read on every request). `session_token` holds the
 * SHA-256 of the cookie's token, never the token itself: a copy of the table signs nobody in.
 */
export const authSession = pgTable(
  "auth_session",
  {
    sessionToken: text("session_token").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => appUser.id, { onDelete: "cascade" }),
    expires: timestamp("expires", { withTimezone: true, mode: "date" }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    /** Where it was made, for the account page's list of sessions. */
    userAgent: text("user_agent"),
    address: text("address"),
    /** When it was last used (written at most every few minutes). */
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [index("auth_session_user_id_idx").on(t.userId)],
);

/** Email sign-in links (Auth.js stores a hash of the token). */
export const authVerificationToken = pgTable(
  "auth_verification_token",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: timestamp("expires", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [primaryKey({ name: "auth_verification_token_pk", columns: [t.identifier, t.token] })],
);

/**
 * A key for machine clients: `ft_` and 43 base64url characters (256 random bits). Only its
 * SHA-256 is kept, with the first characters to show in lists.
 */
export const apiKey = pgTable(
  "api_key",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => appUser.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    hash: text("hash").notNull().unique(),
    scopes: text("scopes").array().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true, mode: "date" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [index("api_key_user_id_idx").on(t.userId), check("api_key_name_check", sql`length(${t.name}) BETWEEN 1 AND 100`)],
);

/**
 * What happened to accounts and by whom: sign-ins and sign-outs, keys made and revoked, role
 * changes, deletions, admin actions. Kept when the user is deleted (the actor becomes NULL).
 */
export const auditEvent = pgTable(
  "audit_event",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    action: text("action").notNull(),
    actorId: uuid("actor_id").references(() => appUser.id, { onDelete: "set null" }),
    /** The user the action was about, when another (an admin changing a role). */
    subjectId: uuid("subject_id").references(() => appUser.id, { onDelete: "set null" }),
    address: text("address"),
    userAgent: text("user_agent"),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("audit_event_at_idx").on(t.at), index("audit_event_actor_id_at_idx").on(t.actorId, t.at), index("audit_event_action_at_idx").on(t.action, t.at)],
);
