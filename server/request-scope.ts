import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What belongs to the request being served, for code that has no request at hand (the logger).
 * Entered by each transport: REST handlers (withAppContext), tRPC over HTTP and each procedure.
 */
const scope = new AsyncLocalStorage<{ requestId: string }>();

export function inRequest<T>(requestId: string, run: () => T): T {
  return scope.run({ requestId }, run);
}

export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}
