"use client";

import { useSyncExternalStore } from "react";

const never = () => () => {};

/**
 * A value only the browser knows (today's local date, localStorage): undefined while rendering
 * on the server and hydrating, then the browser's. `read` must return the same value for the
 * same state (a string or number), as useSyncExternalStore requires.
 */
export function useClientValue<T extends string | number | null>(read: () => T): T | undefined {
  return useSyncExternalStore(never, read, () => undefined);
}

function subscribeEvery(ms: number) {
  return (onChange: () => void) => {
    const timer = setInterval(onChange, ms);
    return () => clearInterval(timer);
  };
}
const every30s = subscribeEvery(30_000);

/** The time, to the half minute, ticking; `serverNow` while server-rendering and hydrating. */
export function useNow(serverNow: number): number {
  return useSyncExternalStore(every30s, () => Math.floor(Date.now() / 30_000) * 30_000, () => serverNow);
}
