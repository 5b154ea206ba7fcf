import type { AppConfig } from "@/server/context";
import { isProduction } from "@/server/env";
import type { OutboundPolicy } from "@/server/net/ssrf";

/** What the SSRF guard lets user-supplied URLs reach: public addresses; https only in production; loopback only by the test setting. */
export function alertPolicy(config: Pick<AppConfig, "alerts">): OutboundPolicy {
  return { allowLoopback: config.alerts.allowLoopback, httpsOnly: isProduction && !config.alerts.allowLoopback };
}

/** The app's address in links sent out (email, webhooks, phone): AUTH_URL, else this machine's default port. */
export function appBaseUrl(config: Pick<AppConfig, "auth" | "alerts">): string {
  return (config.auth.publicUrl ?? `http://localhost:${config.alerts.port ?? 3000}`).replace(/\/$/, "");
}
