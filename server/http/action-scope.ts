import "server-only";
import { headers } from "next/headers";
import { getAppContext } from "@/server/context";
import { inRequest } from "@/server/request-scope";
import { clientAddress } from "./client-address";
import { requestIdFrom } from "./security";

/**
 * Runs a server action in its request's scope: its log lines carry the request id, its audit
 * lines and new sessions the client address and user agent. `run` gets the client address.
 */
export async function inActionScope<T>(run: (address: string) => Promise<T>): Promise<T> {
  const incoming = await headers();
  const ctx = await getAppContext();
  const address = clientAddress(incoming, ctx.config.trustedProxies);
  return inRequest(requestIdFrom(incoming), () => run(address), { address, userAgent: incoming.get("user-agent") });
}
