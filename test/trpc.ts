import type { AppContext } from "@/server/context";
import { createInnerContext, type InnerContext } from "@/server/trpc/init";

/**
 * A procedure context for tests: one app context per test file and engine (so searches share
 * its cache, as a process's do), a client address, and what the test adds.
 */
export function procedureContext(app: () => AppContext) {
  let shared: AppContext | undefined;
  return (overrides: Partial<InnerContext> = {}): InnerContext => createInnerContext({ ...(shared ??= app()), clientAddress: "192.0.2.1", requestId: "test-request", principal: null, crossSite: false, ...overrides });
}
