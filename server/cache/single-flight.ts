/**
 * Concurrent calls for the same key share one run of the task. The events the run emits are
 * kept, so a caller that joins late first hears the ones it missed, then the rest as they come:
 * every caller hears every event once. A listener that throws is reported to `onListenerError`
 * and affects neither the run nor the other listeners. Process-local: across instances, the
 * shared cache is what saves the work.
 */
export class SingleFlight<T, E> {
  private readonly running = new Map<string, { promise: Promise<T>; events: E[]; listeners: Set<(event: E) => void> }>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  /** The task's result, from this run or one already under way (`joined`). */
  run(key: string, task: (emit: (event: E) => void) => Promise<T>, listener?: (event: E) => void): { promise: Promise<T>; joined: boolean } {
    const existing = this.running.get(key);
    if (existing) {
      if (listener) {
        for (const event of existing.events) this.notify(listener, event);
        existing.listeners.add(listener);
      }
      return { promise: existing.promise, joined: true };
    }
    const events: E[] = [];
    const listeners = new Set(listener ? [listener] : []);
    const emit = (event: E) => {
      events.push(event);
      for (const notify of listeners) this.notify(notify, event);
    };
    const promise = task(emit).finally(() => this.running.delete(key));
    this.running.set(key, { promise, events, listeners });
    return { promise, joined: false };
  }

  private notify(listener: (event: E) => void, event: E) {
    try {
      listener(event);
    } catch (error) {
      this.onListenerError(error);
    }
  }
}
