"use client";

import { useEffect } from "react";

const KEY = "ft:session-renewed-at";
const EVERY_MS = 12 * 3_600_000;

/**
 * Keeps an active user signed in: at most twice a day, asks Auth.js for the session, which
 * extends it (and its cookie) by 30 days once it is a day old. Pages read the session without
 * Auth.js, so without this a session would end 30 days after signing in however busy its user.
 */
export function SessionRenewal() {
  useEffect(() => {
    let last = 0;
    try {
      last = Number(window.localStorage.getItem(KEY) ?? 0);
    } catch {
      // Storage refused (private mode): renew on each page instead.
    }
    if (Date.now() - last < EVERY_MS) return;
    fetch("/api/auth/session", { credentials: "same-origin", cache: "no-store" })
      .then((response) => {
        if (response.ok) window.localStorage.setItem(KEY, String(Date.now()));
      })
      .catch(() => {});
  }, []);
  return null;
}
