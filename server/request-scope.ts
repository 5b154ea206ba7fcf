import { AsyncLocalStorage } from "node:async_hooks";

/** Where a request came from: for the audit log and the account page's list of sessions. */
export interface RequestOrigin {
  address: string | null;
  userAgent?: string | null;
}

/**
 * What belongs to the request being served, for code that has no request at hand (the logger,
 * the audit log, Auth.js's adapter). Entered by each transport: REST and auth handlers
 * (withRequestScope), tRPC over HTTP and each procedure, the sign-in page's actions.
 */
const scope = new AsyncLocalStorage<{ requestId: string; origin?: RequestOrigin }>();

export function inRequest<T>(requestId: string, run: () => T, origin?: RequestOrigin): T {
  return scope.run(origin ? { requestId, origin } : { requestId }, run);
}

export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}

/** The address and user agent of the request being served, when its transport said. */
export function currentOrigin(): RequestOrigin | undefined {
  return scope.getStore()?.origin;
}
