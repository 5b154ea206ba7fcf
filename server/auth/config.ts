import type { NextAuthConfig } from "next-auth";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import Nodemailer from "next-auth/providers/nodemailer";
import { recordAudit } from "@/db/queries/audit";
import { setRole, userById } from "@/db/queries/users";
import type { AppContext } from "@/server/context";
import type { Role } from "@/server/core/roles";
import { log } from "@/server/log";
import { accountsAdapter } from "./adapter";
import { sendSignInLink, type EmailDelivery } from "./email";
import { signInIdentifier } from "./identifier";
import { authSecrets } from "./secret";

/** What the browser gets as the session: exactly this, never the session's token. */
export interface SessionView {
  user: { id: string; name: string | null; email: string | null; image: string | null; role: Role };
  expires: string;
}

export const AUTH_BASE_PATH = "/api/auth";
/** A sign-in link works once, for this long. */
export const SIGN_IN_LINK_MINUTES = 15;
const DAY_SECONDS = 86_400;

export const SIGN_IN_PAGES = { signIn: "/sign-in", verifyRequest: "/sign-in/check-email", error: "/sign-in/error" } as const;

/** The sign-in methods configured, for the sign-in page. */
export function signInMethods(ctx: Pick<AppContext, "config">, delivery: EmailDelivery): { email: boolean; github: boolean; google: boolean } {
  return { email: delivery !== "none", github: Boolean(ctx.config.auth.github), google: Boolean(ctx.config.auth.google) };
}

/**
 * Auth.js on the app's context: database sessions (30 days, renewed daily; revocable, the role
 * read on every request), the email link (SMTP or the development outbox) and GitHub or Google
 * when configured; sign-ins and sign-outs audited; ADMIN_EMAILS made admins as they sign in.
 */
export async function authConfig(ctx: Pick<AppContext, "db" | "config">, delivery: EmailDelivery): Promise<NextAuthConfig> {
  const { auth } = ctx.config;
  const providers: NextAuthConfig["providers"] = [];
  if (delivery !== "none") {
    providers.push(
      Nodemailer({
        id: "email",
        name: "Email",
        server: auth.email.server ?? {},
        from: auth.email.from,
        maxAge: SIGN_IN_LINK_MINUTES * 60,
        // One spelling per mailbox, shared with the sign-in limits (server/auth/identifier.ts).
        normalizeIdentifier: (raw) => {
          const email = signInIdentifier(raw);
          if (!email) throw new Error("Not an email address");
          return email;
        },
        sendVerificationRequest: ({ identifier, url, expires }) => sendSignInLink(auth, delivery, { to: identifier, url, expires }),
      }),
    );
  }
  if (auth.github) providers.push(GitHub({ clientId: auth.github.clientId, clientSecret: auth.github.clientSecret }));
  if (auth.google) providers.push(Google({ clientId: auth.google.clientId, clientSecret: auth.google.clientSecret }));

  return {
    basePath: AUTH_BASE_PATH,
    secret: await authSecrets(ctx.db, auth),
    // `next start` behind a proxy, or opened at any address of the machine (README).
    trustHost: true,
    adapter: accountsAdapter(ctx.db),
    // The app's own pages (app/sign-in), in its layout and under its CSP.
    pages: SIGN_IN_PAGES,
    session: { strategy: "database", maxAge: 30 * DAY_SECONDS, updateAge: DAY_SECONDS },
    providers,
    logger: {
      error: (error) => log.warn("sign-in error", { err: error }),
      warn: (code) => log.warn("sign-in warning", { code }),
      debug: () => {},
    },
    callbacks: {
      async signIn({ user, email }) {
        // Asking for a link is never refused here, so the answer cannot tell whether an account
        // exists or is disabled; a disabled account is refused when the link is used.
        if (email?.verificationRequest) return true;
        // A disabled account cannot sign in (an unknown one may: it is being made).
        const existing = user.id ? await userById(ctx.db, user.id) : null;
        return !existing?.disabledAt;
      },
      session({ session, user }) {
        const role = (user as { role?: Role }).role ?? "user";
        const view: SessionView = {
          user: { id: user.id, name: user.name ?? null, email: user.email ?? null, image: user.image ?? null, role },
          expires: new Date(session.expires as unknown as string | Date).toISOString(),
        };
        return view as unknown as typeof session;
      },
    },
    events: {
      async signIn({ user, account }) {
        if (!user.id) return;
        await recordAudit(ctx.db, { action: "sign_in", actorId: user.id, detail: { provider: account?.provider ?? null } });
        if (user.email && auth.adminEmails.includes(user.email.toLowerCase())) {
          const before = await setRole(ctx.db, user.id, "admin");
          if (before && before !== "admin") {
            await recordAudit(ctx.db, { action: "role_changed", actorId: null, subjectId: user.id, detail: { from: before, to: "admin", by: "ADMIN_EMAILS" } });
          }
        }
      },
      async signOut(message) {
        const userId = "session" in message ? message.session?.userId : undefined;
        if (userId) await recordAudit(ctx.db, { action: "sign_out", actorId: userId });
      },
    },
  };
}
