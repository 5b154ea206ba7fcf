/**
 * The line from the write path to this process's alert evaluator: after prices are committed,
 * `nudgeAlerts()` makes it look at the outbox at once instead of at its next poll. A process
 * without an evaluator (a web instance beside workers) ignores it.
 */
const holder = globalThis as { __flightTrackerAlertNudge?: () => void };

export function nudgeAlerts(): void {
  holder.__flightTrackerAlertNudge?.();
}

export function setAlertNudge(nudge: (() => void) | undefined): void {
  holder.__flightTrackerAlertNudge = nudge;
}
